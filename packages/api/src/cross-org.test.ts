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
