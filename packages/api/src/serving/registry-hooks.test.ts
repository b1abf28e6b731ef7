import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { and, eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import type { GantryError } from "@gantry/schema";
import { auditEvents } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { aliasHistory, deleteAlias, deleteModelVersion, deleteRegisteredModel, getModelVersion, registerVersionFromRun, setAlias, updateModelVersion } from "../registry";
import type { OrgFixture } from "../testing";
import { bearer, createFakeModelRun, createOrgFixture, fixtureContext, mlflowClient, startApiServer } from "../testing";
import { createEndpoint, deleteEndpoint, deploy, getEndpoint, updateEndpoint } from "./index";

/* What endpoints do to the registry: served versions cannot be deleted or archived; followers move with their alias. */

const tdb = await createTestDatabase();
let server: Awaited<ReturnType<typeof startApiServer>>;
let org: OrgFixture;
let ctx: OrgContext;
let store: ArtifactStore;

const register = async (name: string, count: number) => {
  for (let i = 0; i < count; i++) {
    const runId = await createFakeModelRun(ctx, store, { experimentId: org.experiment.id });
    await registerVersionFromRun(ctx, store, { name, runId });
  }
};
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: unknown) => e as GantryError,
  );

beforeAll(async () => {
  const artifactRoot = await mkdtemp(path.join(tmpdir(), "gantry-serving-hooks-"));
  server = await startApiServer(tdb.db, tdb.sql, { artifactRoot });
  org = await createOrgFixture(tdb.db, "serving-hooks");
  ctx = fixtureContext(tdb.db, org);
  store = createFsArtifactStore(artifactRoot);
  await register("fraud", 3);
  await createEndpoint(ctx, { name: "fraud-api" });
  await deploy(ctx, "fraud-api", { model: "models:/fraud/1" });
  await deploy(ctx, "fraud-api", { model: "models:/fraud/3" });
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

describe("a served version", () => {
  it("cannot be deleted, nor its model, nor archived; the message names the endpoint and revision", async () => {
    const error = await failure(deleteModelVersion(ctx, "fraud", 3));
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED", field: "version" });
    expect(error.message).toBe("Cannot delete version 3 of 'fraud': version 3 of 'fraud' serves endpoint 'fraud-api' (revision 2); deploy another version there first");
    expect((await failure(deleteRegisteredModel(ctx, "fraud"))).message).toMatch(/^Cannot delete model 'fraud': version 3 of 'fraud' serves endpoint 'fraud-api' \(revision 2\)/);
    expect((await failure(updateModelVersion(ctx, { name: "fraud", version: 3, archived: true }))).code).toBe("PRECONDITION_FAILED");
    expect(await getModelVersion(ctx, "fraud", 3)).toMatchObject({ archived: false });
    // Version 1 was served by revision 1 only: earlier revisions do not hold a version.
    await updateModelVersion(ctx, { name: "fraud", version: 1, archived: true });
    await deleteModelVersion(ctx, "fraud", 1);
    // Editing a served version's description is fine.
    expect((await updateModelVersion(ctx, { name: "fraud", version: 3, description: "live" })).description).toBe("live");
  });

  it("is refused over the MLflow REST API too (400 INVALID_STATE), and deletable once nothing serves it", async () => {
    const ml = mlflowClient(server.url, bearer(org.keys.all.secret));
    const refused = await ml.send("DELETE", "model-versions/delete", { name: "fraud", version: "3" });
    expect(refused).toEqual({ status: 400, body: { error_code: "INVALID_STATE", message: expect.stringContaining("serves endpoint 'fraud-api' (revision 2)") } });
    expect((await ml.send("DELETE", "registered-models/delete", { name: "fraud" })).body).toMatchObject({ error_code: "INVALID_STATE" });
    await deploy(ctx, "fraud-api", { model: "models:/fraud/2" });
    expect(await ml.send("DELETE", "model-versions/delete", { name: "fraud", version: "3" })).toEqual({ status: 200, body: {} });
    await deleteEndpoint(ctx, "fraud-api");
    expect(await ml.send("DELETE", "registered-models/delete", { name: "fraud" })).toEqual({ status: 200, body: {} });
  });
});

describe("an endpoint that follows an alias", () => {
  it("gets a new revision in the alias move's transaction; others stay pinned", async () => {
    await register("churn", 3);
    await setAlias(ctx, { name: "churn", alias: "champion", version: 1 });
    await createEndpoint(ctx, { name: "churn-live", followAlias: "champion" });
    await createEndpoint(ctx, { name: "churn-pinned" });
    await createEndpoint(ctx, { name: "churn-idle", followAlias: "champion" });
    await deploy(ctx, "churn-live", { model: "models:/churn@champion" });
    await deploy(ctx, "churn-pinned", { model: "models:/churn@champion" });

    await setAlias(ctx, { name: "churn", alias: "champion", version: 2, reason: "better auc" });
    const live = await getEndpoint(ctx, "churn-live");
    expect(live).toMatchObject({ revision: 2, version: 2, via: "champion" });
    expect(live.revisions[0]).toMatchObject({ reason: "alias champion moved from v1 to v2", deployedBy: org.users.owner.email, rolledBackFrom: null });
    expect(await getEndpoint(ctx, "churn-pinned")).toMatchObject({ revision: 1, version: 1 });
    // Never deployed: it has no model yet, so there is nothing to follow.
    expect(await getEndpoint(ctx, "churn-idle")).toMatchObject({ revision: null });
    const audits = await tdb.db
      .select({ data: auditEvents.data })
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.org.id), eq(auditEvents.action, "endpoint.deploy"), eq(auditEvents.targetId, live.id)));
    expect(audits.map((a) => a.data)).toContainEqual(expect.objectContaining({ revision: 2, version: 2, reason: "alias champion moved from v1 to v2" }));

    // Another alias, or the same alias of another model, moves nothing.
    await setAlias(ctx, { name: "churn", alias: "challenger", version: 3 });
    await register("other", 1);
    await setAlias(ctx, { name: "other", alias: "champion", version: 1 });
    expect((await getEndpoint(ctx, "churn-live")).revision).toBe(2);
    // Setting it where it already is records nothing; removing it leaves the endpoint where it is.
    await setAlias(ctx, { name: "churn", alias: "champion", version: 2 });
    await deleteAlias(ctx, { name: "churn", alias: "champion" });
    expect(await getEndpoint(ctx, "churn-live")).toMatchObject({ revision: 2, version: 2 });
  });

  it("refuses the alias move, as a whole, when a follower cannot serve the new version", async () => {
    await setAlias(ctx, { name: "churn", alias: "champion", version: 2 });
    await updateModelVersion(ctx, { name: "churn", version: 3, archived: true });
    const error = await failure(setAlias(ctx, { name: "churn", alias: "champion", version: 3 }));
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(error.message).toMatch(/^Endpoint 'churn-live' follows alias 'champion': Version 3 of 'churn' is archived/);
    expect((await aliasHistory(ctx, { name: "churn", alias: "champion" }))[0]).toMatchObject({ toVersion: 2 });
    await updateEndpoint(ctx, { name: "churn-live", followAlias: null });
    await setAlias(ctx, { name: "churn", alias: "champion", version: 3 });
    expect(await getEndpoint(ctx, "churn-live")).toMatchObject({ revision: 2, version: 2 });
  });
});
