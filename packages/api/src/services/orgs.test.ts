import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";
import { slugRules } from "@gantry/schema";

import type { OrgFixture } from "../testing";
import { callerFor, createOrgFixture, createUser } from "../testing";
import { auditActionsOf, expectError } from "../testing/assertions";

const tdb = await createTestDatabase();
let acme: OrgFixture;
beforeAll(async () => {
  acme = await createOrgFixture(tdb.db, "acme");
});
afterAll(() => tdb.drop());

const signedIn = async (label: string) => {
  const user = await createUser(tdb.db, label);
  return { user, caller: callerFor(tdb.db, { userId: user.id }) };
};

describe("org.create", () => {
  it("makes the creator the owner and records org.create", async () => {
    const { user, caller } = await signedIn("founder");
    const org = await caller.org.create({ name: "Widgets", slug: "widgets" });
    expect(org).toMatchObject({ slug: "widgets", name: "Widgets", role: "owner" });

    const members = await callerFor(tdb.db, { userId: user.id, orgSlug: "widgets" }).member.list();
    expect(members.map((m) => [m.userId, m.role])).toEqual([[user.id, "owner"]]);
    expect(await auditActionsOf(tdb.db, org.id)).toEqual(["org.create"]);
  });

  it("refuses a slug that is taken with CONFLICT on the slug field", async () => {
    const { user, caller } = await signedIn("latecomer");
    const error = await expectError(caller.org.create({ name: "Another Acme", slug: "acme" }), "CONFLICT");
    expect(error.field).toBe("slug");
    expect(error.message).toMatch(/"acme" is taken/);
    expect(await caller.org.mine()).toEqual([]);
    expect(await callerFor(tdb.db, { userId: acme.users.owner.id }).org.mine()).toEqual([expect.objectContaining({ slug: "acme", role: "owner" })]);
    expect((await acme.as("owner").member.list()).map((m) => m.userId)).not.toContain(user.id);
  });

  it.each([
    ["upper case", "Acme-Two"],
    ["spaces", "acme two"],
    ["a leading digit", "2acme"],
    ["a double hyphen", "acme--two"],
    ["a trailing hyphen", "acme-"],
    ["too short", "ab"],
    ["too long", `a${"b".repeat(40)}`],
  ])("refuses a slug with %s, stating the slug rule", async (_, slug) => {
    const { caller } = await signedIn("typo");
    const error = await expectError(caller.org.create({ name: "Bad slug", slug }), "BAD_REQUEST");
    expect(error.field).toBe("slug");
    expect(error.message).toBe(`slug: Slug must be ${slugRules}`);
    expect(await caller.org.mine()).toEqual([]);
  });

  it("refuses a reserved slug", async () => {
    const { caller } = await signedIn("reserver");
    const error = await expectError(caller.org.create({ name: "API", slug: "api" }), "BAD_REQUEST");
    expect(error.field).toBe("slug");
    expect(error.message).toBe("slug: That slug is reserved");
  });

  it("needs a signed-in person, not an API key", async () => {
    await expectError(acme.withKey("all").org.create({ name: "By key", slug: "by-key" }), "FORBIDDEN");
    await expectError(callerFor(tdb.db, {}).org.create({ name: "Anon", slug: "anon-org" }), "UNAUTHORIZED");
  });
});

describe("org.rename", () => {
  it("lets an admin rename, recording org.update", async () => {
    const before = await auditActionsOf(tdb.db, acme.org.id);
    const org = await acme.as("admin").org.rename({ name: "Acme Corp" });
    expect(org).toMatchObject({ id: acme.org.id, slug: "acme", name: "Acme Corp" });
    expect((await acme.as("viewer").org.current()).name).toBe("Acme Corp");
    expect(await auditActionsOf(tdb.db, acme.org.id)).toEqual([...before, "org.update"]);
  });

  it("refuses a member, leaving the name and the log alone", async () => {
    const { name } = await acme.as("owner").org.current();
    const before = await auditActionsOf(tdb.db, acme.org.id);
    await expectError(acme.as("member").org.rename({ name: "Hijacked" }), "FORBIDDEN");
    expect((await acme.as("owner").org.current()).name).toBe(name);
    expect(await auditActionsOf(tdb.db, acme.org.id)).toEqual(before);
  });

  it("refuses a new slug another org has", async () => {
    const { caller } = await signedIn("neighbour");
    await caller.org.create({ name: "Neighbour", slug: "neighbour" });
    const error = await expectError(acme.as("owner").org.rename({ name: "Acme", slug: "neighbour" }), "CONFLICT");
    expect(error.field).toBe("slug");
    expect((await acme.as("owner").org.current()).slug).toBe("acme");
  });
});

describe("org.mine", () => {
  it("lists only the caller's orgs, with their role in each", async () => {
    const { caller } = await signedIn("busy");
    await caller.org.create({ name: "Beta", slug: "beta" });
    await caller.org.create({ name: "Alpha", slug: "alpha" });
    expect((await caller.org.mine()).map((o) => [o.slug, o.role])).toEqual([
      ["alpha", "owner"],
      ["beta", "owner"],
    ]);

    const viewerOrgs = await callerFor(tdb.db, { userId: acme.users.viewer.id }).org.mine();
    expect(viewerOrgs.map((o) => [o.slug, o.role])).toEqual([["acme", "viewer"]]);
  });

  it("is empty for a user with no orgs", async () => {
    const { caller } = await signedIn("loner");
    expect(await caller.org.mine()).toEqual([]);
  });
});
