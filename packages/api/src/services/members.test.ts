import { afterAll, describe, expect, it } from "vitest";

import { eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { memberships } from "@gantry/schema";

import type { OrgFixture } from "../testing";
import { callerFor, createOrgFixture } from "../testing";
import { auditActionsOf, expectError } from "../testing/assertions";

const tdb = await createTestDatabase();
afterAll(() => tdb.drop());

/** Each test gets its own org (owner, admin, member, viewer), so role changes never leak between tests. */
let orgCount = 0;
const freshOrg = () => createOrgFixture(tdb.db, `team${++orgCount}`);

/** Who holds which role, read from the table (callers may have left), and the audit trail. */
const rolesOf = async (f: OrgFixture) =>
  Object.fromEntries((await tdb.db.select().from(memberships).where(eq(memberships.orgId, f.org.id))).map((m) => [m.userId, m.role]));
const stateOf = async (f: OrgFixture) => ({ roles: await rolesOf(f), audit: await auditActionsOf(tdb.db, f.org.id) });

/** Expects the call to be refused with `code` and to leave roles and audit log as they were. */
async function expectRefusedWithoutEffect(f: OrgFixture, call: () => Promise<unknown>, code: "FORBIDDEN" | "PRECONDITION_FAILED") {
  const before = await stateOf(f);
  const error = await expectError(call(), code);
  expect(await stateOf(f)).toEqual(before);
  return error;
}

/** Runs the mutation and returns the audit actions it added. */
async function newAuditActions(f: OrgFixture, mutation: () => Promise<unknown>) {
  const before = await auditActionsOf(tdb.db, f.org.id);
  await mutation();
  const after = await auditActionsOf(tdb.db, f.org.id);
  expect(after.slice(0, before.length)).toEqual(before);
  return after.slice(before.length);
}

const roleOf = async (f: OrgFixture, userId: string) => (await rolesOf(f))[userId] ?? null;

describe("member.changeRole", () => {
  it("lets an admin promote a member to admin, with one audit event", async () => {
    const f = await freshOrg();
    const added = await newAuditActions(f, () => f.as("admin").member.changeRole({ userId: f.users.member.id, role: "admin" }));
    expect(added).toEqual(["member.change_role"]);
    expect(await roleOf(f, f.users.member.id)).toBe("admin");
    // The promoted member now has admin powers.
    await expect(f.as("member").invitation.list()).resolves.toEqual(expect.any(Array));
  });

  it("does not let an admin change an owner's role", async () => {
    const f = await freshOrg();
    const error = await expectRefusedWithoutEffect(f, () => f.as("admin").member.changeRole({ userId: f.users.owner.id, role: "member" }), "FORBIDDEN");
    expect(error.message).toMatch(/Only an owner/);
  });

  it("does not let an admin make anyone an owner, themselves included", async () => {
    const f = await freshOrg();
    await expectRefusedWithoutEffect(f, () => f.as("admin").member.changeRole({ userId: f.users.member.id, role: "owner" }), "FORBIDDEN");
    await expectRefusedWithoutEffect(f, () => f.as("admin").member.changeRole({ userId: f.users.admin.id, role: "owner" }), "FORBIDDEN");
  });

  it("does not let a member change roles", async () => {
    const f = await freshOrg();
    await expectRefusedWithoutEffect(f, () => f.as("member").member.changeRole({ userId: f.users.viewer.id, role: "member" }), "FORBIDDEN");
  });

  it("lets an owner make an owner", async () => {
    const f = await freshOrg();
    const added = await newAuditActions(f, () => f.as("owner").member.changeRole({ userId: f.users.admin.id, role: "owner" }));
    expect(added).toEqual(["member.change_role"]);
    expect(await roleOf(f, f.users.admin.id)).toBe("owner");
  });

  it("is NOT_FOUND for someone who is not a member", async () => {
    const f = await freshOrg();
    const other = await freshOrg();
    const before = await stateOf(f);
    await expectError(f.as("owner").member.changeRole({ userId: other.users.member.id, role: "admin" }), "NOT_FOUND");
    expect(await stateOf(f)).toEqual(before);
  });
});

describe("the last owner", () => {
  it("cannot be demoted", async () => {
    const f = await freshOrg();
    const error = await expectRefusedWithoutEffect(f, () => f.as("owner").member.changeRole({ userId: f.users.owner.id, role: "admin" }), "PRECONDITION_FAILED");
    expect(error.message).toMatch(/last owner/);
  });

  it("cannot leave", async () => {
    const f = await freshOrg();
    const error = await expectRefusedWithoutEffect(f, () => f.as("owner").member.leave(), "PRECONDITION_FAILED");
    expect(error.message).toMatch(/last owner/);
  });

  it("can step down once there is a second owner", async () => {
    const f = await freshOrg();
    await f.as("owner").member.changeRole({ userId: f.users.admin.id, role: "owner" });
    const added = await newAuditActions(f, () => f.as("owner").member.changeRole({ userId: f.users.owner.id, role: "member" }));
    expect(added).toEqual(["member.change_role"]);
    expect(await roleOf(f, f.users.owner.id)).toBe("member");
    // Now the other owner is the last one.
    await expectRefusedWithoutEffect(f, () => f.as("admin").member.leave(), "PRECONDITION_FAILED");
  });

  it("can leave once there is a second owner", async () => {
    const f = await freshOrg();
    await f.as("owner").member.changeRole({ userId: f.users.member.id, role: "owner" });
    const added = await newAuditActions(f, () => f.as("owner").member.leave());
    expect(added).toEqual(["member.leave"]);
    expect(await roleOf(f, f.users.owner.id)).toBeNull();
    await expectError(f.as("owner").org.current(), "NOT_FOUND");
  });
});

describe("member.remove and member.leave", () => {
  it("lets an admin remove a member, with one audit event", async () => {
    const f = await freshOrg();
    const added = await newAuditActions(f, () => f.as("admin").member.remove({ userId: f.users.member.id }));
    expect(added).toEqual(["member.remove"]);
    expect(await roleOf(f, f.users.member.id)).toBeNull();
    expect(await callerFor(tdb.db, { userId: f.users.member.id }).org.mine()).toEqual([]);
  });

  it("does not let an admin remove an owner", async () => {
    const f = await freshOrg();
    await expectRefusedWithoutEffect(f, () => f.as("admin").member.remove({ userId: f.users.owner.id }), "FORBIDDEN");
  });

  it("does not let a member remove anyone", async () => {
    const f = await freshOrg();
    await expectRefusedWithoutEffect(f, () => f.as("member").member.remove({ userId: f.users.viewer.id }), "FORBIDDEN");
  });

  it.each(["member", "viewer"] as const)("lets a %s leave, with one audit event", async (role) => {
    const f = await freshOrg();
    const added = await newAuditActions(f, () => f.as(role).member.leave());
    expect(added).toEqual(["member.leave"]);
    expect(await roleOf(f, f.users[role].id)).toBeNull();
    const others = (["owner", "admin", "member", "viewer"] as const).filter((r) => r !== role);
    for (const r of others) expect(await roleOf(f, f.users[r].id)).toBe(r);
  });

  it("does not let an API key leave", async () => {
    const f = await freshOrg();
    await expectRefusedWithoutEffect(f, () => f.withKey("all").member.leave(), "FORBIDDEN");
  });
});
