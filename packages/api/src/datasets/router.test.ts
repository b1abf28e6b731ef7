import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import type { ArtifactStore } from "../artifacts";
import { createFsArtifactStore } from "../artifacts";
import type { OrgFixture } from "../testing";
import { callerFor, createOrgFixture, expectDenied } from "../testing";
import { linkRunToDatasetVersion } from "./link";
import { createDatasetVersion } from "./upload";

const tdb = await createTestDatabase();
let org: OrgFixture;
let store: ArtifactStore;
const as = (role: "owner" | "admin" | "member" | "viewer") => callerFor(tdb.db, { userId: org.users[role].id, orgSlug: org.slug, artifactStore: store });

beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "datasets-router");
  store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-datasets-")));
  const ctx = { db: tdb.db, orgId: org.org.id, actor: { type: "user" as const, userId: org.users.member.id, label: "member" }, role: "member" as const };
  for (const csv of ["a,b\n1,x\n2,y\n", "a,b\n1,x\n2,y\n3,z\n"]) await createDatasetVersion(ctx, store, { name: "sales", body: Readable.from([Buffer.from(csv)]), maxBytes: 1 << 20 });
  const version = await as("viewer").dataset.version({ name: "sales", version: 1 });
  await linkRunToDatasetVersion(ctx, org.run.info.id, version.id);
});
afterAll(() => tdb.drop());

describe("dataset router", () => {
  it("lists, gets and reads versions as a viewer", async () => {
    const viewer = as("viewer");
    expect(await viewer.dataset.list()).toMatchObject([{ name: "sales", versionCount: 2, latest: { version: 2, rowCount: 3, columnCount: 2 } }]);
    expect((await viewer.dataset.get({ name: "sales" })).versions.map((v) => v.version)).toEqual([2, 1]);
    const latest = await viewer.dataset.version({ name: "sales" });
    expect(latest).toMatchObject({ version: 2, name: "sales", columns: [{ name: "a", type: "integer" }, { name: "b", type: "categorical" }] });
    expect(latest.profile.columns[0]).toMatchObject({ min: 1, max: 3, mean: 2 });
    expect(await viewer.dataset.preview({ name: "sales", version: 1, limit: 1 })).toEqual({
      columns: [
        { name: "a", type: "integer" },
        { name: "b", type: "categorical" },
      ],
      rows: [{ a: "1", b: "x" }],
    });
    expect(await viewer.dataset.runs({ name: "sales", version: 1 })).toMatchObject([{ runId: org.run.info.id, experimentName: org.experiment.name }]);
    expect(await viewer.dataset.runs({ name: "sales", version: 2 })).toEqual([]);
    await expectDenied(viewer.dataset.version({ name: "sales", version: 3 }), ["NOT_FOUND"]);
  });

  it("answers a clear error where no store is configured", async () => {
    const error = await callerFor(tdb.db, { userId: org.users.viewer.id, orgSlug: org.slug })
      .dataset.preview({ name: "sales" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INTERNAL_SERVER_ERROR", message: expect.stringContaining("no artifact store") });
  });

  it("lets members describe a dataset, and only admins delete one (audited)", async () => {
    await as("member").dataset.setDescription({ name: "sales", description: "Daily sales" });
    expect((await as("viewer").dataset.get({ name: "sales" })).description).toBe("Daily sales");
    await expectDenied(as("viewer").dataset.setDescription({ name: "sales", description: "x" }), ["FORBIDDEN"]);
    await expectDenied(as("member").dataset.delete({ name: "sales" }), ["FORBIDDEN"]);
    expect(await as("admin").dataset.delete({ name: "sales" })).toEqual({ versionsDeleted: 2 });
    expect(await as("viewer").dataset.list()).toEqual([]);
    const audit = await as("owner").audit.list({});
    expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(["dataset.delete", "dataset.update", "dataset.version.create"]));
  });
});
