import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import { createFsArtifactStore } from "../artifacts";
import { registerVersionFromRun } from "../registry";
import type { OrgFixture } from "../testing";
import { callerFor, createFakeModelRun, createOrgFixture, expectDenied, fixtureContext } from "../testing";

/* The `endpoint` router through createCaller: tiers, outputs, error codes. */

const tdb = await createTestDatabase();
let org: OrgFixture;
const as = (role: "owner" | "admin" | "member" | "viewer") => callerFor(tdb.db, { userId: org.users[role].id, orgSlug: org.slug }).endpoint;

beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "endpoint-router");
  const ctx = fixtureContext(tdb.db, org);
  const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-endpoint-router-")));
  for (let i = 0; i < 2; i++) await registerVersionFromRun(ctx, store, { name: "scorer", runId: await createFakeModelRun(ctx, store, { experimentId: org.experiment.id }) });
});
afterAll(() => tdb.drop());

describe("endpoint router", () => {
  it("a member creates, deploys, rolls back, pauses; a viewer reads; deleting is for admins", async () => {
    const member = as("member");
    expect(await member.create({ name: "scorer-api", description: "leads" })).toMatchObject({ name: "scorer-api", auth: "key", revisions: [] });
    await member.deploy({ name: "scorer-api", model: "models:/scorer/1", reason: "first" });
    expect(await member.deploy({ name: "scorer-api", model: { model: "scorer", version: 2 } })).toMatchObject({ revision: 2, version: 2 });
    const back = await member.rollback({ name: "scorer-api", revision: 1, reason: "v2 regressed" });
    expect(back.revisions[0]).toMatchObject({ revision: 3, rolledBackFrom: 1, reason: "v2 regressed", deployedBy: org.users.member.email });
    expect((await member.pause({ name: "scorer-api" })).status).toBe("paused");
    expect((await member.resume({ name: "scorer-api" })).status).toBe("active");
    expect((await member.update({ name: "scorer-api", auth: "public", followAlias: "champion" })).followAlias).toBe("champion");

    const viewer = as("viewer");
    expect(await viewer.list()).toMatchObject([{ name: "scorer-api", revision: 3, model: "scorer", version: 1 }]);
    expect((await viewer.get({ name: "scorer-api" })).revisions.map((r) => r.revision)).toEqual([3, 2, 1]);
    await expectDenied(viewer.deploy({ name: "scorer-api", model: "models:/scorer/2" }), ["FORBIDDEN"]);
    await expectDenied(member.delete({ name: "scorer-api" }), ["FORBIDDEN"]);
    expect(await as("admin").delete({ name: "scorer-api" })).toEqual({ ok: true });
    expect(await viewer.list()).toEqual([]);
  });

  it("maps domain errors to tRPC codes", async () => {
    const member = as("member");
    await member.create({ name: "dup" });
    expect((await expectDenied(member.create({ name: "dup" }), ["CONFLICT"])).message).toMatch(/'dup' already exists/);
    await expectDenied(member.get({ name: "ghost" }), ["NOT_FOUND"]);
    await expectDenied(member.create({ name: "Not A Slug" }), ["BAD_REQUEST"]);
    await expectDenied(member.deploy({ name: "dup", model: "models:/scorer@nope" }), ["NOT_FOUND"]);
    await expectDenied(member.rollback({ name: "dup", revision: 1 }), ["NOT_FOUND"]);
    await member.deploy({ name: "dup", model: "models:/scorer/1" });
    await expectDenied(callerFor(tdb.db, { userId: org.users.admin.id, orgSlug: org.slug }).model.deleteVersion({ name: "scorer", version: 1 }), ["PRECONDITION_FAILED"]);
  });
});
