import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { and, eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import type { ModelSignature } from "@gantry/schema";
import { auditEvents, GantryError } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { linkRunToDatasetVersion } from "../datasets";
import type { OrgFixture } from "../testing";
import { binaryCsv, createFakeModelRun, createOrgFixture, fixtureContext, uploadCsvDataset } from "../testing";
import { setRunLifecycle } from "../tracking/runs";
import {
  aliasHistory,
  compareVersions,
  createRegisteredModel,
  deleteAlias,
  deleteModelVersion,
  deleteRegisteredModel,
  getModelVersion,
  getRegisteredModel,
  listModelVersions,
  listRegisteredModels,
  registerVersionFromRun,
  renameRegisteredModel,
  resolveModelUri,
  setAlias,
  setModelTag,
  setVersionTag,
  updateModelVersion,
  updateRegisteredModel,
} from ".";

const tdb = await createTestDatabase();
let org: OrgFixture;
let ctx: OrgContext;
let store: ArtifactStore;

beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "registry");
  ctx = fixtureContext(tdb.db, org);
  store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-registry-")));
});
afterAll(() => tdb.drop());

const modelRun = (options: Omit<Parameters<typeof createFakeModelRun>[2], "experimentId"> = {}) => createFakeModelRun(ctx, store, { experimentId: org.experiment.id, ...options });

async function expectError(p: Promise<unknown>, code: string, pattern?: RegExp, field?: string) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GantryError);
  expect((error as GantryError).code).toBe(code);
  if (pattern) expect((error as GantryError).message).toMatch(pattern);
  if (field) expect((error as GantryError).field).toBe(field);
}

describe("registering versions", () => {
  it("registers a run's pipeline with its signature, metrics snapshot and dataset version, creating the model", async () => {
    const dataset = await uploadCsvDataset(ctx, store, "toy", binaryCsv({ rows: 20 }));
    const runId = await modelRun({ metrics: { test_accuracy: 0.91, test_loss: 0.2 } });
    await linkRunToDatasetVersion(ctx, runId, dataset.id);
    const v = await registerVersionFromRun(ctx, store, { name: "churn", runId, description: "first" });
    expect(v).toMatchObject({ name: "churn", version: 1, sourceRunId: runId, datasetVersionId: dataset.id, status: "ready", description: "first", archived: false, aliases: [] });
    expect(v.metrics).toEqual({ test_accuracy: 0.91, test_loss: 0.2 });
    expect(v.signature?.inputs).toEqual([{ name: "x1", type: "numeric", required: true }]);
    expect(v.pipelineSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.has(v.pipelineSha256)).toBe(true);
    expect(v.createdBy).toBe(org.users.owner.id);
    const [audit] = await tdb.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.org.id), eq(auditEvents.action, "model.version.create")));
    expect(audit?.data).toMatchObject({ name: "churn", version: 1, runId, modelCreated: true });

    const v2 = await registerVersionFromRun(ctx, store, { name: "churn", runId: await modelRun() });
    expect(v2.version).toBe(2);
    expect(await getRegisteredModel(ctx, "churn")).toMatchObject({ name: "churn", versionCount: 2, latestVersion: 2, aliases: [] });
  });

  it("keeps the version when its run is deleted", async () => {
    const runId = await modelRun();
    const v = await registerVersionFromRun(ctx, store, { name: "survivor", runId });
    await setRunLifecycle(ctx, runId, "deleted");
    expect((await getModelVersion(ctx, "survivor", 1)).pipelineSha256).toBe(v.pipelineSha256);
  });

  it("numbers concurrent registrations 1..n without gaps or duplicates", async () => {
    const runs = await Promise.all(Array.from({ length: 6 }, () => modelRun()));
    const versions = await Promise.all(runs.map((runId) => registerVersionFromRun(ctx, store, { name: "raced", runId })));
    expect(versions.map((v) => v.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await listModelVersions(ctx, "raced")).map((v) => v.version)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it("refuses runs that cannot be registered, naming the problem", async () => {
    await expectError(registerVersionFromRun(ctx, store, { name: "m", runId: await modelRun({ withPipeline: false }) }), "INVALID_INPUT", /has no model artifact \(model\/pipeline\.json\)/, "runId");
    await expectError(registerVersionFromRun(ctx, store, { name: "m", runId: await modelRun({ finished: false }) }), "INVALID_INPUT", /RUNNING: only a FINISHED run/, "runId");
    await expectError(registerVersionFromRun(ctx, store, { name: "m", runId: "0190c8b4-0000-7000-8000-000000000000" }), "NOT_FOUND", /No run/, "runId");
    await expectError(registerVersionFromRun(ctx, store, { name: "bad name!", runId: await modelRun() }), "INVALID_INPUT", /name/, "name");
  });
});

describe("models", () => {
  it("creates, lists, updates, renames, tags and deletes; names are unique per org", async () => {
    const m = await createRegisteredModel(ctx, { name: "fraud", description: "catches fraud", tags: [{ key: "team", value: "risk" }] });
    expect(m).toMatchObject({ name: "fraud", description: "catches fraud", tags: { team: "risk" }, versionCount: 0, latestVersion: null });
    await expectError(createRegisteredModel(ctx, { name: "fraud" }), "CONFLICT", /already exists/, "name");
    expect((await updateRegisteredModel(ctx, "fraud", "new words")).description).toBe("new words");
    expect((await setModelTag(ctx, "fraud", { key: "tier", value: "1" })).tags).toEqual({ team: "risk", tier: "1" });
    await createRegisteredModel(ctx, { name: "fraud-2" });
    await expectError(renameRegisteredModel(ctx, "fraud", "fraud-2"), "CONFLICT", /fraud-2/);
    expect((await renameRegisteredModel(ctx, "fraud", "fraud-v2")).name).toBe("fraud-v2");
    await expectError(getRegisteredModel(ctx, "fraud"), "NOT_FOUND", /No registered model named 'fraud'/, "name");
    expect((await listRegisteredModels(ctx)).map((x) => x.name)).toContain("fraud-v2");

    await registerVersionFromRun(ctx, store, { name: "fraud-v2", runId: await modelRun() });
    await setAlias(ctx, { name: "fraud-v2", alias: "champion", version: 1 });
    expect(await deleteRegisteredModel(ctx, "fraud-v2")).toEqual({ versionsDeleted: 1 });
    await expectError(getRegisteredModel(ctx, "fraud-v2"), "NOT_FOUND");
    const [audit] = await tdb.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.org.id), eq(auditEvents.action, "model.delete")));
    expect(audit?.data).toMatchObject({ name: "fraud-v2", versions: 1, aliasesRemoved: [{ alias: "champion", version: 1 }] });
  });

  it("names the unknown model", async () => {
    await expectError(listModelVersions(ctx, "ghost"), "NOT_FOUND", /'ghost'/, "name");
    await expectError(setAlias(ctx, { name: "ghost", alias: "champion", version: 1 }), "NOT_FOUND", /'ghost'/);
  });
});

describe("versions, aliases, resolve, compare", () => {
  beforeAll(async () => {
    const versions: [number, ModelSignature["inputs"]][] = [
      [0.8, [{ name: "x1", type: "numeric" }, { name: "color", type: "categorical", categories: ["red", "blue"] }]],
      [0.85, [{ name: "x1", type: "integer" }, { name: "color", type: "categorical", categories: ["red", "blue"] }, { name: "x2", type: "numeric" }]],
      [0.9, [{ name: "x2", type: "numeric" }]],
    ];
    for (const [accuracy, inputs] of versions) {
      await registerVersionFromRun(ctx, store, { name: "pricing", runId: await modelRun({ metrics: { accuracy }, signature: { inputs } }) });
    }
  });

  it("refuses reserved and malformed alias names, naming `alias`", async () => {
    for (const alias of ["latest", "v3", "v12", "Champion", "with space", "x".repeat(65), ""]) {
      await expectError(setAlias(ctx, { name: "pricing", alias, version: 1 }), "INVALID_INPUT", /alias/, "alias");
    }
    expect((await setAlias(ctx, { name: "pricing", alias: "v2-candidate_b", version: 1 })).aliases).toEqual(["v2-candidate_b"]);
    await deleteAlias(ctx, { name: "pricing", alias: "v2-candidate_b" });
  });

  it("moves an alias and records every move with who, from, to and why", async () => {
    expect((await setAlias(ctx, { name: "pricing", alias: "champion", version: 1, reason: "first good one" })).aliases).toEqual(["champion"]);
    await setAlias(ctx, { name: "pricing", alias: "champion", version: 1 }); // no move, no history row
    const moved = await setAlias(ctx, { name: "pricing", alias: "champion", version: 2, reason: "beats v1" });
    expect(moved).toMatchObject({ version: 2, aliases: ["champion"] });
    expect((await getModelVersion(ctx, "pricing", 1)).aliases).toEqual([]);
    const history = await aliasHistory(ctx, { name: "pricing", alias: "champion" });
    expect(history.map((h) => [h.fromVersion, h.toVersion, h.reason, h.actorLabel])).toEqual([
      [1, 2, "beats v1", org.users.owner.email],
      [null, 1, "first good one", org.users.owner.email],
    ]);
    expect((await getRegisteredModel(ctx, "pricing")).aliases).toEqual([{ alias: "champion", version: 2 }]);
    await expectError(setAlias(ctx, { name: "pricing", alias: "champion", version: 9 }), "NOT_FOUND", /no version 9/, "version");
    await expectError(deleteAlias(ctx, { name: "pricing", alias: "nope" }), "NOT_FOUND", /no alias 'nope'/, "alias");
  });

  it("resolves by alias, number and latest (archived versions skipped by latest only)", async () => {
    await setAlias(ctx, { name: "pricing", alias: "challenger", version: 3 });
    expect((await resolveModelUri(ctx, "models:/pricing@challenger")).version).toBe(3);
    expect((await resolveModelUri(ctx, "models:/pricing/1")).version).toBe(1);
    expect((await resolveModelUri(ctx, "models:/pricing/latest")).version).toBe(3);
    const archived = await updateModelVersion(ctx, { name: "pricing", version: 3, archived: true, modelCard: "# Pricing v3\nRetired." });
    expect(archived).toMatchObject({ archived: true, modelCard: "# Pricing v3\nRetired.", description: null });
    expect((await resolveModelUri(ctx, "models:/pricing/latest")).version).toBe(2);
    expect((await resolveModelUri(ctx, "models:/pricing@challenger")).version).toBe(3);
    expect((await resolveModelUri(ctx, "models:/pricing/3")).archived).toBe(true);
    expect((await listModelVersions(ctx, "pricing", { includeArchived: false })).map((v) => v.version)).toEqual([2, 1]);
    await expectError(resolveModelUri(ctx, "models:/pricing@ghost"), "NOT_FOUND", /no alias 'ghost'/);
    await expectError(resolveModelUri(ctx, "models:/pricing/7"), "NOT_FOUND", /no version 7/);
    await expectError(resolveModelUri(ctx, "runs:/x/model"), "INVALID_INPUT", /not a model URI/, "uri");
    await expectError(resolveModelUri(ctx, "models:/pricing/0"), "INVALID_INPUT", /not a model URI/, "uri");
    await updateModelVersion(ctx, { name: "pricing", version: 3, archived: false });
  });

  it("compares metrics side by side and diffs signatures against the first version", async () => {
    const c = await compareVersions(ctx, { name: "pricing", versions: [1, 2, 3] });
    expect(c.metrics).toEqual([{ key: "accuracy", values: [0.8, 0.85, 0.9] }]);
    expect(c.signatureDiffs).toEqual([
      { version: 2, diff: { added: ["x2"], removed: [], changed: [{ name: "x1", from: "numeric", to: "integer" }] } },
      { version: 3, diff: { added: ["x2"], removed: ["x1", "color"], changed: [] } },
    ]);
    await expectError(compareVersions(ctx, { name: "pricing", versions: [1, 8] }), "NOT_FOUND", /no version 8/);
  });

  it("tags a version and deletes one, recording the alias removals", async () => {
    expect((await setVersionTag(ctx, { name: "pricing", version: 2 }, { key: "reviewed", value: "yes" })).tags).toEqual({ reviewed: "yes" });
    await setAlias(ctx, { name: "pricing", alias: "backup", version: 1 });
    await deleteModelVersion(ctx, "pricing", 1);
    await expectError(getModelVersion(ctx, "pricing", 1), "NOT_FOUND");
    const [removal] = await aliasHistory(ctx, { name: "pricing", alias: "backup" });
    expect(removal).toMatchObject({ fromVersion: 1, toVersion: null, reason: "version 1 deleted" });
    // Numbers are never reused, even the newest one's.
    expect((await registerVersionFromRun(ctx, store, { name: "pricing", runId: await modelRun() })).version).toBe(4);
    await deleteModelVersion(ctx, "pricing", 4);
    expect((await registerVersionFromRun(ctx, store, { name: "pricing", runId: await modelRun() })).version).toBe(5);
  });
});
