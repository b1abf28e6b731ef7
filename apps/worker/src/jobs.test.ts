import { afterAll, describe, expect, it } from "vitest";

import { createOrgFixture } from "@gantry/api/testing";
import { eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { invitations } from "@gantry/schema";

import { purgeStaleInvitations } from "./jobs";

const tdb = await createTestDatabase();
afterAll(() => tdb.drop());

describe("housekeeping", () => {
  it("purges invitations unusable for over 30 days and keeps the rest", async () => {
    const org = await createOrgFixture(tdb.db, "housekeeping");
    const svc = org.as("owner");
    const old = await svc.invitation.create({ role: "member" });
    const recent = await svc.invitation.create({ role: "member" });
    await tdb.db.update(invitations).set({ expiresAt: new Date(Date.now() - 31 * 86_400_000) }).where(eq(invitations.id, old.invitation.id));
    await tdb.db.update(invitations).set({ expiresAt: new Date(Date.now() - 86_400_000) }).where(eq(invitations.id, recent.invitation.id));

    expect(await purgeStaleInvitations(tdb.db)).toBe(1);
    const left = (await svc.invitation.list()).map((i) => i.id);
    expect(left).toContain(recent.invitation.id);
    expect(left).toContain(org.invitation.invitation.id);
    expect(left).not.toContain(old.invitation.id);
  });
});
