import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import type { CrossOrgCase, OrgFixture } from "./testing";
import { allProcedures, assertCrossOrgDenied, createOrgFixture, expectDenied } from "./testing";

/**
 * Every org-scoped procedure, aimed at org A by org B. A procedure added without a case here
 * fails the coverage test below.
 */
const cases: Record<string, CrossOrgCase> = {
  "org.current": (c) => c.org.current(),
  "org.rename": (c) => c.org.rename({ name: "Taken over" }),
  "member.list": (c) => c.member.list(),
  "member.changeRole": (c, a) => c.member.changeRole({ userId: a.users.member.id, role: "admin" }),
  "member.remove": (c, a) => c.member.remove({ userId: a.users.member.id }),
  "member.leave": (c) => c.member.leave(),
  "invitation.create": (c) => c.invitation.create({ role: "admin" }),
  "invitation.list": (c) => c.invitation.list(),
  "invitation.revoke": (c, a) => c.invitation.revoke({ id: a.invitation.invitation.id }),
  "apiKey.list": (c) => c.apiKey.list(),
  "apiKey.create": (c) => c.apiKey.create({ name: "intruder", scopes: ["read"] }),
  "apiKey.revoke": (c, a) => c.apiKey.revoke({ id: a.keys.read.key.id }),
  "audit.list": (c) => c.audit.list({}),
  "experiment.list": (c) => c.experiment.list({ viewType: "ALL" }),
  "experiment.get": (c, a) => c.experiment.get({ experimentId: a.experiment.id }),
  "experiment.keys": (c, a) => c.experiment.keys({ experimentId: a.experiment.id }),
  "experiment.create": (c) => c.experiment.create({ name: "intruder experiment" }),
  "experiment.rename": (c, a) => c.experiment.rename({ experimentId: a.experiment.id, name: "taken" }),
  "experiment.setDescription": (c, a) => c.experiment.setDescription({ experimentId: a.experiment.id, description: "x" }),
  "experiment.delete": (c, a) => c.experiment.delete({ experimentId: a.experiment.id }),
  "experiment.restore": (c, a) => c.experiment.restore({ experimentId: a.experiment.id }),
  "experiment.setTag": (c, a) => c.experiment.setTag({ experimentId: a.experiment.id, tag: { key: "k", value: "v" } }),
  "experiment.deleteTag": (c, a) => c.experiment.deleteTag({ experimentId: a.experiment.id, key: "k" }),
  "run.search": (c, a) => c.run.search({ experimentIds: [a.experiment.id], viewType: "ALL" }),
  "run.get": (c, a) => c.run.get({ runId: a.run.info.id }),
  "run.compare": (c, a) => c.run.compare({ runIds: [a.run.info.id] }),
  "run.metricChart": (c, a) => c.run.metricChart({ runId: a.run.info.id, key: "loss" }),
  "run.metricHistory": (c, a) => c.run.metricHistory({ runId: a.run.info.id, key: "loss" }),
  "run.artifacts": (c, a) => c.run.artifacts({ runId: a.run.info.id }),
  "run.create": (c, a) => c.run.create({ experimentId: a.experiment.id }),
  "run.update": (c, a) => c.run.update({ runId: a.run.info.id, status: "KILLED" }),
  "run.logBatch": (c, a) => c.run.logBatch({ runId: a.run.info.id, metrics: [{ key: "loss", value: 9, timestamp: 9 }] }),
  "run.setTag": (c, a) => c.run.setTag({ runId: a.run.info.id, tag: { key: "team", value: "pwned" } }),
  "run.deleteTag": (c, a) => c.run.deleteTag({ runId: a.run.info.id, key: "team" }),
  "run.delete": (c, a) => c.run.delete({ runId: a.run.info.id }),
  "run.restore": (c, a) => c.run.restore({ runId: a.run.info.id }),
};

/** Procedures that act on no org's data, each with the reason. */
const notOrgScoped: Record<string, string> = {
  "auth.signUp": "creates a user; no org involved",
  "auth.whoami": "describes the caller only",
  "org.mine": "lists the caller's own memberships",
  "org.create": "creates a new org owned by the caller",
  "invitation.preview": "needs the secret one-time token",
  "invitation.accept": "needs the secret one-time token; it is the way in",
};

/** Mutations a viewer may do (everything else that writes is refused to viewers). */
const viewerMayDo = new Set(["member.leave"]);

const tdb = await createTestDatabase();
let a: OrgFixture;
let b: OrgFixture;
beforeAll(async () => {
  a = await createOrgFixture(tdb.db, "org-a");
  b = await createOrgFixture(tdb.db, "org-b");
});
afterAll(() => tdb.drop());

describe("cross-org access", () => {
  it("has a case for every org-scoped procedure", () => {
    const uncovered = allProcedures()
      .map((p) => p.path)
      .filter((path) => !(path in cases) && !(path in notOrgScoped));
    expect(uncovered).toEqual([]);
  });

  it.each(Object.keys(cases))("%s: org B gets NOT_FOUND/FORBIDDEN or none of org A's data", async (path) => {
    const call = cases[path];
    if (!call) throw new Error(path);
    await assertCrossOrgDenied(tdb.db, a, b, call);
  });

  it("left org A untouched", async () => {
    expect((await a.as("owner").org.current()).name).toBe("Org org-a");
    const members = await a.as("owner").member.list();
    expect(members.map((m) => [m.email, m.role]).sort()).toEqual(Object.entries(a.users).map(([role, u]) => [u.email, role]).sort());
    const keys = await a.as("owner").apiKey.list();
    expect(keys.every((k) => k.revokedAt === null)).toBe(true);
    const invitations = await a.as("owner").invitation.list();
    expect(invitations.map((i) => i.status)).toEqual(["pending"]);
    const run = await a.as("owner").run.get({ runId: a.run.info.id });
    expect(run.info).toMatchObject({ status: "RUNNING", lifecycleStage: "active" });
    expect(run.data.tags).toContainEqual({ key: "team", value: "org-a" });
    expect(run.data.metrics).toEqual([{ key: "loss", value: 0.5, timestamp: 1, step: 0 }]);
    const experiment = await a.as("owner").experiment.get({ experimentId: a.experiment.id });
    expect(experiment).toMatchObject({ name: "experiment of org-a", lifecycleStage: "active", tags: [], description: null });
  });
});

describe("viewers and read-only keys", () => {
  const mutations = () => allProcedures().filter((p) => p.type === "mutation" && p.path in cases && !viewerMayDo.has(p.path));

  it("cannot mutate anything", async () => {
    expect(mutations().length).toBeGreaterThan(5);
    for (const { path } of mutations()) {
      const call = cases[path];
      if (!call) throw new Error(path);
      await expectDenied(call(a.as("viewer"), a), ["FORBIDDEN"]);
      await expectDenied(call(a.withKey("read"), a), ["FORBIDDEN"]);
    }
  });

  it("a predict-only key cannot even read org data", async () => {
    await expectDenied(a.withKey("predict").member.list(), ["FORBIDDEN"]);
  });
});
