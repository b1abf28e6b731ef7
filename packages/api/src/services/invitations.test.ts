import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { invitations } from "@gantry/schema";

import type { OrgFixture } from "../testing";
import { callerFor, createOrgFixture, createUser } from "../testing";
import { auditActionsOf, expectError } from "../testing/assertions";

const tdb = await createTestDatabase();
let acme: OrgFixture;
beforeAll(async () => {
  acme = await createOrgFixture(tdb.db, "acme");
});
afterAll(() => tdb.drop());

const anonymous = () => callerFor(tdb.db, {});
const newcomer = async (label = "newcomer") => {
  const user = await createUser(tdb.db, label);
  return { user, caller: callerFor(tdb.db, { userId: user.id }) };
};
const statusOf = async (id: string) => (await acme.as("owner").invitation.list()).find((i) => i.id === id)?.status;

describe("invitation.create", () => {
  it("returns the token once; the list shows the invitation without it", async () => {
    const before = await auditActionsOf(tdb.db, acme.org.id);
    const { invitation, token } = await acme.as("admin").invitation.create({ role: "viewer" });
    expect(token).toMatch(/^inv_[A-Za-z0-9_-]{43}$/);
    expect(invitation).toMatchObject({ role: "viewer", email: null, status: "pending", acceptedAt: null, revokedAt: null });

    const listed = await acme.as("admin").invitation.list();
    expect(listed.map((i) => i.id)).toContain(invitation.id);
    expect(JSON.stringify(listed)).not.toContain(token.slice(4));
    expect(await auditActionsOf(tdb.db, acme.org.id)).toEqual([...before, "invitation.create"]);
  });

  it("is for admins: a member is FORBIDDEN", async () => {
    await expectError(acme.as("member").invitation.create({ role: "viewer" }), "FORBIDDEN");
  });

  it("cannot invite an owner", async () => {
    const error = await expectError(acme.as("owner").invitation.create({ role: "owner" as "admin" }), "BAD_REQUEST");
    expect(error.field).toBe("role");
  });
});

describe("invitation.preview", () => {
  it("shows the org and the role to anyone holding the token", async () => {
    const { token } = await acme.as("admin").invitation.create({ role: "member" });
    const preview = await anonymous().invitation.preview({ token });
    expect(preview).toMatchObject({ org: { slug: "acme", name: "Org acme" }, role: "member", email: null });
    expect(JSON.stringify(preview)).not.toContain(acme.org.id);
  });

  it("is NOT_FOUND for a well-formed token that was never issued", async () => {
    await expectError(anonymous().invitation.preview({ token: `inv_${"A".repeat(43)}` }), "NOT_FOUND");
  });
});

describe("invitation.accept", () => {
  it("makes another user a member with the invited role, once", async () => {
    const { invitation, token } = await acme.as("admin").invitation.create({ role: "admin" });
    const { user, caller } = await newcomer();
    const before = await auditActionsOf(tdb.db, acme.org.id);

    expect(await caller.invitation.accept({ token })).toMatchObject({ id: acme.org.id, slug: "acme", role: "admin" });
    const members = await acme.as("owner").member.list();
    expect(members.find((m) => m.userId === user.id)?.role).toBe("admin");
    expect(await statusOf(invitation.id)).toBe("accepted");
    expect(await auditActionsOf(tdb.db, acme.org.id)).toEqual([...before, "invitation.accept"]);

    // One-time: neither the same user nor anyone else gets in again with it.
    const again = await expectError(caller.invitation.accept({ token }), "PRECONDITION_FAILED");
    expect(again.message).toMatch(/already been used/);
    const other = await newcomer("latecomer");
    const used = await expectError(other.caller.invitation.accept({ token }), "PRECONDITION_FAILED");
    expect(used.message).toMatch(/already been used/);
    expect(await other.caller.org.mine()).toEqual([]);
    await expectError(anonymous().invitation.preview({ token }), "PRECONDITION_FAILED");
  });

  it("is a CONFLICT for someone already in the org, and leaves the invitation usable", async () => {
    const { invitation, token } = await acme.as("admin").invitation.create({ role: "admin" });
    const error = await expectError(callerFor(tdb.db, { userId: acme.users.viewer.id }).invitation.accept({ token }), "CONFLICT");
    expect(error.message).toMatch(/already a member/);
    expect((await acme.as("owner").member.list()).find((m) => m.userId === acme.users.viewer.id)?.role).toBe("viewer");
    expect(await statusOf(invitation.id)).toBe("pending");

    const { caller } = await newcomer();
    await expect(caller.invitation.accept({ token })).resolves.toMatchObject({ role: "admin" });
  });

  it("refuses a revoked invitation", async () => {
    const { invitation, token } = await acme.as("admin").invitation.create({ role: "member" });
    await acme.as("admin").invitation.revoke({ id: invitation.id });
    expect(await statusOf(invitation.id)).toBe("revoked");
    const { caller } = await newcomer();
    const error = await expectError(caller.invitation.accept({ token }), "PRECONDITION_FAILED");
    expect(error.message).toMatch(/was revoked/);
    expect(await caller.org.mine()).toEqual([]);
  });

  it("refuses an expired invitation", async () => {
    const { invitation, token } = await acme.as("admin").invitation.create({ role: "member" });
    await tdb.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(invitations.id, invitation.id));
    expect(await statusOf(invitation.id)).toBe("expired");
    const { caller } = await newcomer();
    const error = await expectError(caller.invitation.accept({ token }), "PRECONDITION_FAILED");
    expect(error.message).toMatch(/expired/);
    expect((await expectError(anonymous().invitation.preview({ token }), "PRECONDITION_FAILED")).message).toMatch(/expired/);
    expect(await caller.org.mine()).toEqual([]);
  });

  it("lets only the invited address accept an email-bound invitation", async () => {
    const { invitation, token } = await acme.as("admin").invitation.create({ role: "viewer", email: "Invitee@Example.test" });
    expect(invitation.email).toBe("invitee@example.test");

    const stranger = await newcomer("stranger");
    const error = await expectError(stranger.caller.invitation.accept({ token }), "FORBIDDEN");
    expect(error.message).toMatch(/invitee@example\.test/);
    expect(await stranger.caller.org.mine()).toEqual([]);
    expect(await statusOf(invitation.id)).toBe("pending");

    const invitee = await anonymous().auth.signUp({ email: "invitee@example.test", password: "correct horse 1", name: "Invitee" });
    await expect(callerFor(tdb.db, { userId: invitee.id }).invitation.accept({ token })).resolves.toMatchObject({ slug: "acme", role: "viewer" });
  });

  it("rejects a garbage token as BAD_REQUEST", async () => {
    const { caller } = await newcomer();
    for (const token of ["garbage", "inv_short", `inv_${"!".repeat(43)}`]) {
      const error = await expectError(caller.invitation.accept({ token }), "BAD_REQUEST");
      expect(error.field).toBe("token");
      await expectError(anonymous().invitation.preview({ token }), "BAD_REQUEST");
    }
  });

  it("needs a signed-in person: an API key or nobody cannot accept", async () => {
    const { invitation, token } = await acme.as("admin").invitation.create({ role: "member" });
    await expectError(acme.withKey("all").invitation.accept({ token }), "FORBIDDEN");
    await expectError(anonymous().invitation.accept({ token }), "UNAUTHORIZED");
    expect(await statusOf(invitation.id)).toBe("pending");
  });
});
