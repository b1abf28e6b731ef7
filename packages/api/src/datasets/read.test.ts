import { createHash } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { datasets, runInputs } from "@gantry/schema";

import type { FsArtifactStore } from "../artifacts";
import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import type { OrgFixture } from "../testing";
import { createOrgFixture } from "../testing";
import { putRunArtifact } from "../tracking/artifacts";
import { logInputs } from "../tracking/inputs";
import { createRun, setRunLifecycle } from "../tracking/runs";
import { linkRunToDatasetVersion } from "./link";
import { getDatasetVersion, resolveDatasetVersion } from "./lookup";
import { deleteDataset, setDatasetDescription } from "./manage";
import { getDataset, listDatasets, openDatasetFile, previewDatasetVersion, readDatasetTable, runsUsingVersion } from "./read";
import { createDatasetVersion } from "./upload";

const tdb = await createTestDatabase();
let org: OrgFixture;
let other: OrgFixture;
let ctx: OrgContext;
let otherCtx: OrgContext;
let store: FsArtifactStore;
const ctxOf = (f: OrgFixture): OrgContext => ({ db: tdb.db, orgId: f.org.id, actor: { type: "user", userId: f.users.owner.id, label: "owner" }, role: "owner" });

const CSV = ["id,price,member,joined,tier,comment", "1,9.5,yes,2024-01-01,gold,first", "2,NA,no,2024-01-02T06:00:00Z,silver,", "3,12,yes,,gold,third one"].join("\n") + "\n";

async function* body(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}
const upload = (c: OrgContext, name: string, text: string) => createDatasetVersion(c, store, { name, body: body(text), maxBytes: 1 << 20, fileName: `${name}.csv` });

beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "datasets-read");
  other = await createOrgFixture(tdb.db, "datasets-other");
  ctx = ctxOf(org);
  otherCtx = ctxOf(other);
  store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-datasets-")));
});
afterAll(() => tdb.drop());

describe("reading versions", () => {
  it("resolves name@version and name@latest, and names what is missing", async () => {
    const v1 = (await upload(ctx, "members", CSV)).version;
    const v2 = (await upload(ctx, "members", CSV + "4,1,no,2024-02-01,bronze,x\n")).version;
    expect((await resolveDatasetVersion(ctx, { name: "members", version: 1 })).id).toBe(v1.id);
    expect(await resolveDatasetVersion(ctx, { name: "members", version: "latest" })).toMatchObject({ id: v2.id, version: 2, name: "members" });
    expect(await resolveDatasetVersion(ctx, { name: "members" })).toMatchObject({ version: 2 });
    await expect(resolveDatasetVersion(ctx, { name: "members", version: 9 })).rejects.toMatchObject({ code: "NOT_FOUND", message: "Dataset 'members' has no version 9" });
    await expect(resolveDatasetVersion(ctx, { name: "nobody" })).rejects.toMatchObject({ code: "NOT_FOUND", message: "No dataset named 'nobody'" });
    // Another org sees none of it.
    await expect(resolveDatasetVersion(otherCtx, { name: "members" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getDatasetVersion(otherCtx, v1.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(readDatasetTable(otherCtx, store, v1.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("reads the whole table with typed cells (what training takes)", async () => {
    const version = await resolveDatasetVersion(ctx, { name: "members", version: 1 });
    const table = await readDatasetTable(ctx, store, version.id);
    expect(table.columns).toEqual([
      { name: "id", type: "integer" },
      { name: "price", type: "numeric" },
      { name: "member", type: "boolean" },
      { name: "joined", type: "datetime" },
      { name: "tier", type: "categorical" },
      { name: "comment", type: "categorical" },
    ]);
    expect(table.rows).toEqual([
      { id: 1, price: 9.5, member: true, joined: Date.UTC(2024, 0, 1), tier: "gold", comment: "first" },
      { id: 2, price: null, member: false, joined: Date.UTC(2024, 0, 2, 6), tier: "silver", comment: null },
      { id: 3, price: 12, member: true, joined: null, tier: "gold", comment: "third one" },
    ]);
  });

  it("previews the first rows as written, stopping early", async () => {
    const rows = Array.from({ length: 500 }, (_, i) => `${i},row ${i}`).join("\n");
    const { version } = await upload(ctx, "long", `n,label\n${rows}\n`);
    const preview = await previewDatasetVersion(ctx, store, version.id, 3);
    expect(preview).toEqual({
      columns: [
        { name: "n", type: "integer" },
        { name: "label", type: "text" },
      ],
      rows: [
        { n: "0", label: "row 0" },
        { n: "1", label: "row 1" },
        { n: "2", label: "row 2" },
      ],
    });
    expect((await previewDatasetVersion(ctx, store, version.id, 100)).rows).toHaveLength(100);
    const members = await resolveDatasetVersion(ctx, { name: "members", version: 1 });
    expect((await previewDatasetVersion(ctx, store, members.id, 5)).rows[1]).toEqual({ id: "2", price: null, member: "no", joined: "2024-01-02T06:00:00Z", tier: "silver", comment: null });
    await expect(previewDatasetVersion(ctx, store, version.id, 101)).rejects.toMatchObject({ code: "INVALID_INPUT", field: "limit" });
  });

  it("downloads the same bytes (sha256 round trip)", async () => {
    const version = await resolveDatasetVersion(ctx, { name: "members", version: 1 });
    const file = await openDatasetFile(ctx, store, version.id);
    const hash = createHash("sha256");
    for await (const chunk of await file.body()) hash.update(chunk as Buffer);
    expect(hash.digest("hex")).toBe(version.sha256);
    expect(file).toMatchObject({ name: "members", version: 1, fileName: "members.csv", size: Buffer.byteLength(CSV) });
  });

  it("lists datasets with their version count and latest version, and one with all versions", async () => {
    const list = await listDatasets(ctx);
    expect(list.map((d) => [d.name, d.versionCount, d.latest?.version])).toEqual([
      ["long", 1, 1],
      ["members", 2, 2],
    ]);
    expect(await listDatasets(otherCtx)).toEqual([]);
    const detail = await getDataset(ctx, "members");
    expect(detail.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(detail.versions[0]).toMatchObject({ rowCount: 4, columnCount: 6 });
  });
});

describe("runs and dataset versions", () => {
  it("links MLflow inputs by sha256 digest prefix or gantry source, in the same org only", async () => {
    const v1 = await resolveDatasetVersion(ctx, { name: "members", version: 1 });
    const v2 = await resolveDatasetVersion(ctx, { name: "members", version: 2 });
    const run = (await createRun(ctx, { experimentId: org.experiment.id, name: "uses members" })).info.id;
    await logInputs(ctx, run, [
      { dataset: { name: "members", digest: v1.sha256.slice(0, 8), sourceType: "local", source: "/tmp/members.csv" } },
      { dataset: { name: "by-source", digest: "whatever", sourceType: "gantry", source: `gantry:datasets/members@2` } },
      { dataset: { name: "unknown", digest: "0123456789abcdef", sourceType: "local", source: "x.csv" } },
      { dataset: { name: "too-short", digest: v1.sha256.slice(0, 6), sourceType: "local", source: "x.csv" } },
      { dataset: { name: "no-such-version", digest: "d", sourceType: "gantry", source: "gantry:datasets/members@9" } },
    ]);
    const rows = await tdb.db.select().from(runInputs).where(eq(runInputs.runId, run));
    const linked = Object.fromEntries(rows.map((r) => [r.name, r.datasetVersionId]));
    expect(linked).toEqual({ members: v1.id, "by-source": v2.id, unknown: null, "too-short": null, "no-such-version": null });

    // Org B logging A's digest links nothing.
    const bRun = (await createRun(otherCtx, { experimentId: other.experiment.id })).info.id;
    await logInputs(otherCtx, bRun, [{ dataset: { name: "members", digest: v1.sha256.slice(0, 36), sourceType: "local", source: "gantry:datasets/members@1" } }]);
    const [bInput] = await tdb.db.select().from(runInputs).where(eq(runInputs.runId, bRun));
    expect(bInput?.datasetVersionId).toBeNull();

    expect((await runsUsingVersion(ctx, v1.id)).map((r) => [r.runId, r.runName, r.experimentName, r.status])).toEqual([[run, "uses members", org.experiment.name, "RUNNING"]]);
    await setRunLifecycle(ctx, run, "deleted");
    expect(await runsUsingVersion(ctx, v1.id)).toEqual([]);
  });

  it("linkRunToDatasetVersion logs a gantry input the run lists (idempotent)", async () => {
    const version = await resolveDatasetVersion(ctx, { name: "long" });
    const run = (await createRun(ctx, { experimentId: org.experiment.id, name: "trained on long" })).info.id;
    await linkRunToDatasetVersion(ctx, run, version.id);
    await linkRunToDatasetVersion(ctx, run, version.id);
    const inputs = await tdb.db.select().from(runInputs).where(eq(runInputs.runId, run));
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatchObject({ name: "long", digest: version.sha256.slice(0, 36), sourceType: "gantry", source: "gantry:datasets/long@1", datasetVersionId: version.id });
    expect(JSON.parse(inputs[0]?.schema ?? "{}")).toEqual({ mlflow_colspec: [{ type: "long", name: "n" }, { type: "string", name: "label" }] });
    expect((await runsUsingVersion(ctx, version.id)).map((r) => r.runId)).toEqual([run]);
    await expect(linkRunToDatasetVersion(otherCtx, (await createRun(otherCtx, { experimentId: other.experiment.id })).info.id, version.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("managing datasets", () => {
  it("sets the description", async () => {
    await setDatasetDescription(ctx, "members", "Loyalty members");
    expect((await getDataset(ctx, "members")).description).toBe("Loyalty members");
    await setDatasetDescription(ctx, "members", null);
    expect((await getDataset(ctx, "members")).description).toBeNull();
    await expect(setDatasetDescription(otherCtx, "members", "x")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("deletes a dataset and its versions; bytes another row shares stay in the store", async () => {
    const shared = "k,v\n1,2\n";
    const own = "k,v\n3,4\n";
    const a = (await upload(ctx, "doomed", shared)).version;
    const b = (await upload(ctx, "doomed", own)).version;
    await upload(otherCtx, "keeper", shared);
    const run = (await createRun(ctx, { experimentId: org.experiment.id })).info.id;
    await linkRunToDatasetVersion(ctx, run, b.id);
    // An artifact with the same bytes as version 2 keeps them too, until it goes.
    const artifactRun = (await createRun(otherCtx, { experimentId: other.experiment.id })).info.id;
    await putRunArtifact(otherCtx, { runId: artifactRun, path: "copy.csv", body: body(own), store, maxBytes: 1 << 20 });

    await expect(deleteDataset(otherCtx, "doomed", { store })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await deleteDataset(ctx, "doomed", { store })).toEqual({ versionsDeleted: 2 });
    await expect(getDataset(ctx, "doomed")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await tdb.db.select().from(datasets).where(eq(datasets.id, a.datasetId))).toEqual([]);
    expect(await store.has(a.sha256)).toBe(true);
    expect(await store.has(b.sha256)).toBe(true);
    // The run keeps its input record; the link is gone.
    const [input] = await tdb.db.select().from(runInputs).where(eq(runInputs.runId, run));
    expect(input).toMatchObject({ name: "doomed", datasetVersionId: null });

    const c = (await upload(ctx, "doomed-alone", "k\n42\n")).version;
    await deleteDataset(ctx, "doomed-alone", { store });
    expect(await store.has(c.sha256)).toBe(false);
  });
});
