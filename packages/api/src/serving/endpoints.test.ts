import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { auditEvents, GantryError, modelVersions, ZTrafficPolicy } from "@gantry/schema";

import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { registerVersionFromRun, setAlias, updateModelVersion } from "../registry";
import type { OrgFixture } from "../testing";
import { createFakeModelRun, createOrgFixture, fixtureContext } from "../testing";
import { createEndpoint, deleteEndpoint, deploy, endpointsServingVersion, getEndpoint, listEndpoints, pauseEndpoint, resumeEndpoint, rollback, updateEndpoint, versionsServedBy } from "./index";

/* Endpoint services against a real database: deploys, revisions, rollbacks, refusals. */

const tdb = await createTestDatabase();
let org: OrgFixture;
let ctx: OrgContext;
const versionIds: string[] = [];

const rejects = async (p: Promise<unknown>, code: string, message?: RegExp) => {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GantryError);
  expect((error as GantryError).code).toBe(code);
  if (message) expect((error as GantryError).message).toMatch(message);
};

beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "serving");
  ctx = fixtureContext(tdb.db, org);
  const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-serving-")));
  for (let i = 0; i < 3; i++) {
    const runId = await createFakeModelRun(ctx, store, { experimentId: org.experiment.id });
    versionIds.push((await registerVersionFromRun(ctx, store, { name: "fraud", runId })).id);
  }
  await setAlias(ctx, { name: "fraud", alias: "champion", version: 2 });
});
afterAll(() => tdb.drop());

describe("endpoints", () => {
  it("are created serving nothing; names are slugs unique per org", async () => {
    const created = await createEndpoint(ctx, { name: "fraud-api", description: "scores payments" });
    expect(created).toMatchObject({ name: "fraud-api", auth: "key", status: "active", followAlias: null, revision: null, model: null, version: null, revisions: [] });
    await rejects(createEndpoint(ctx, { name: "fraud-api" }), "CONFLICT", /'fraud-api' already exists/);
    await rejects(createEndpoint(ctx, { name: "Fraud API" }), "INVALID_INPUT", /lowercase/);
    await rejects(createEndpoint(ctx, { name: "-x" }), "INVALID_INPUT");
    expect((await createEndpoint(ctx, { name: "open", auth: "public" })).auth).toBe("public");
  });

  it("deploy pins a concrete version (an alias is kept as `via`) and numbers revisions 1, 2, …", async () => {
    const first = await deploy(ctx, "fraud-api", { model: "models:/fraud@champion", reason: "launch" });
    expect(first).toMatchObject({ revision: 1, model: "fraud", version: 2, via: "champion" });
    expect(first.revisions).toMatchObject([
      {
        revision: 1,
        reason: "launch",
        rolledBackFrom: null,
        deployedBy: org.users.owner.email,
        policy: { kind: "single", variants: [{ name: "default", modelVersionId: versionIds[1], model: "fraud", version: 2, via: "champion", weight: 100 }] },
      },
    ]);
    // Moving the alias later does not move an endpoint that does not follow it.
    await setAlias(ctx, { name: "fraud", alias: "champion", version: 3 });
    expect((await getEndpoint(ctx, "fraud-api")).version).toBe(2);

    expect(await deploy(ctx, "fraud-api", { model: "models:/fraud/1" })).toMatchObject({ revision: 2, version: 1, via: null });
    expect(await deploy(ctx, "fraud-api", { model: { model: "fraud", version: 3 } })).toMatchObject({ revision: 3, version: 3 });
    const fourth = await deploy(ctx, "fraud-api", { model: { model: "fraud", alias: "champion" }, reason: "back to champion" });
    expect(fourth).toMatchObject({ revision: 4, version: 3, via: "champion" });
    expect(fourth.revisions.map((r) => r.revision)).toEqual([4, 3, 2, 1]);
    expect(await deploy(ctx, "open", { model: "models:/fraud/latest" })).toMatchObject({ revision: 1, version: 3 });
  });

  it("refuses what cannot be served: another org's or unknown model, a missing alias, an archived or unready version", async () => {
    await rejects(deploy(ctx, "fraud-api", { model: "models:/nope/1" }), "NOT_FOUND", /No registered model named 'nope'/);
    await rejects(deploy(ctx, "fraud-api", { model: "models:/fraud/9" }), "NOT_FOUND", /no version 9/);
    await rejects(deploy(ctx, "fraud-api", { model: "models:/fraud@challenger" }), "NOT_FOUND", /no alias 'challenger'/);
    await rejects(deploy(ctx, "fraud-api", { model: "fraud" }), "INVALID_INPUT", /not a model URI/);
    await rejects(deploy(ctx, "ghost", { model: "models:/fraud/1" }), "NOT_FOUND", /No endpoint named 'ghost'/);
    await tdb.db.update(modelVersions).set({ status: "pending" }).where(eq(modelVersions.id, versionIds[0] ?? ""));
    await rejects(deploy(ctx, "fraud-api", { model: "models:/fraud/1" }), "PRECONDITION_FAILED", /is pending, not ready/);
    await tdb.db.update(modelVersions).set({ status: "ready", archived: true }).where(eq(modelVersions.id, versionIds[0] ?? ""));
    await rejects(deploy(ctx, "fraud-api", { model: "models:/fraud/1" }), "PRECONDITION_FAILED", /archived/);
    await updateModelVersion(ctx, { name: "fraud", version: 1, archived: false });
    expect((await getEndpoint(ctx, "fraud-api")).revisions).toHaveLength(4);
  });

  it("rollback writes a new revision copying the earlier policy, naming where it came from", async () => {
    const back = await rollback(ctx, "fraud-api", { revision: 2 });
    expect(back).toMatchObject({ revision: 5, version: 1 });
    expect(back.revisions[0]).toMatchObject({ revision: 5, rolledBackFrom: 2, reason: "rollback to revision 2", policy: back.revisions.find((r) => r.revision === 2)?.policy });
    await rejects(rollback(ctx, "fraud-api", { revision: 5 }), "PRECONDITION_FAILED", /already current/);
    await rejects(rollback(ctx, "fraud-api", { revision: 42 }), "NOT_FOUND", /no revision 42/);
    await updateModelVersion(ctx, { name: "fraud", version: 2, archived: true });
    await rejects(rollback(ctx, "fraud-api", { revision: 1 }), "PRECONDITION_FAILED", /Version 2 of 'fraud' is archived/);
    await updateModelVersion(ctx, { name: "fraud", version: 2, archived: false });
  });

  it("finds the endpoints whose current revision serves a version", async () => {
    expect(await endpointsServingVersion(ctx, versionIds[0] ?? "")).toMatchObject([{ endpoint: "fraud-api", revision: 5, modelVersionId: versionIds[0] }]);
    expect(await endpointsServingVersion(ctx, versionIds[1] ?? "")).toEqual([]);
    expect((await versionsServedBy(tdb.db, org.org.id, versionIds)).map((s) => [s.endpoint, s.revision])).toEqual([
      ["fraud-api", 5],
      ["open", 1],
    ]);
    const other = await createOrgFixture(tdb.db, "serving-other");
    expect(await versionsServedBy(tdb.db, other.org.id, versionIds)).toEqual([]);
  });

  it("concurrent deploys queue on the endpoint row: every revision number once", async () => {
    await createEndpoint(ctx, { name: "busy" });
    await Promise.all([1, 2, 3, 1, 2, 3].map((v) => deploy(ctx, "busy", { model: { model: "fraud", version: v } })));
    const busy = await getEndpoint(ctx, "busy");
    expect(busy.revisions.map((r) => r.revision)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(busy.revision).toBe(6);
    await deleteEndpoint(ctx, "busy");
  });

  it("update, pause, resume, list and delete, each audited", async () => {
    expect(await updateEndpoint(ctx, { name: "fraud-api", description: null, auth: "public", followAlias: "champion" })).toMatchObject({ description: null, auth: "public", followAlias: "champion" });
    expect((await pauseEndpoint(ctx, "fraud-api")).status).toBe("paused");
    expect((await resumeEndpoint(ctx, "fraud-api")).status).toBe("active");
    expect((await listEndpoints(ctx)).map((e) => [e.name, e.revision, e.model, e.version])).toEqual([
      ["fraud-api", 5, "fraud", 1],
      ["open", 1, "fraud", 3],
    ]);
    await deleteEndpoint(ctx, "open");
    await rejects(getEndpoint(ctx, "open"), "NOT_FOUND");
    const actions = (await tdb.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.orgId, org.org.id))).map((a) => a.action).filter((a) => a.startsWith("endpoint."));
    expect(actions.sort()).toEqual(
      [...Array<string>(3).fill("endpoint.create"), ...Array<string>(12).fill("endpoint.deploy"), "endpoint.update", "endpoint.pause", "endpoint.resume", "endpoint.delete", "endpoint.delete"].sort(),
    );
  });
});

describe("the traffic policy", () => {
  const variant = { name: "default", modelVersionId: "v", model: "fraud", version: 1, weight: 100 };
  it("is one `single` variant named default with all the traffic, for now", () => {
    expect(ZTrafficPolicy.safeParse({ kind: "single", variants: [{ ...variant, via: "champion" }] }).success).toBe(true);
    expect(ZTrafficPolicy.safeParse({ kind: "single", variants: [variant, variant] }).success).toBe(false);
    expect(ZTrafficPolicy.safeParse({ kind: "single", variants: [{ ...variant, weight: 50 }] }).success).toBe(false);
    expect(ZTrafficPolicy.safeParse({ kind: "split", variants: [variant] }).success).toBe(false);
  });
});
