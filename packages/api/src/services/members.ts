import type { Executor } from "@gantry/db";
import { and, asc, count, eq } from "@gantry/db";
import { GantryError, memberships, roleAtLeast, users, ZChangeRoleInput, ZRemoveMemberInput } from "@gantry/schema";
import type { Member, Role } from "@gantry/schema";
import type { z } from "zod";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { mutate } from "./audit";

export async function listMembers(ctx: OrgContext): Promise<Member[]> {
  return ctx.db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, ctx.orgId))
    .orderBy(asc(users.email));
}

/** Row-locks the membership so concurrent demotions cannot both pass the last-owner check. */
async function lockMembership(tx: Executor, orgId: string, userId: string) {
  const [row] = await tx
    .select({ role: memberships.role, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .for("update", { of: memberships });
  if (!row) throw new GantryError("NOT_FOUND", "No such member in this organisation", { field: "userId" });
  return row;
}

async function assertNotLastOwner(tx: Executor, orgId: string, what: string) {
  // Lock every owner row: two owners demoting each other at once must not leave none.
  const owners = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")))
    .for("update");
  if (owners.length <= 1) throw new GantryError("PRECONDITION_FAILED", `The last owner cannot ${what}; make someone else an owner first`);
}

const actorUserId = (ctx: OrgContext) => (ctx.actor.type === "user" ? ctx.actor.userId : null);

/** Only owners may touch owners or grant ownership; admins manage everyone else. */
function assertMayManage(ctx: OrgContext, targetRole: Role, newRole?: Role) {
  if (!roleAtLeast(ctx.role, "admin")) throw new GantryError("FORBIDDEN", "Only admins and owners manage members");
  if ((targetRole === "owner" || newRole === "owner") && ctx.role !== "owner") {
    throw new GantryError("FORBIDDEN", "Only an owner can change an owner's role or make someone an owner");
  }
}

export async function changeRole(ctx: OrgContext, raw: z.input<typeof ZChangeRoleInput>): Promise<Member[]> {
  const input = parseInput(ZChangeRoleInput, raw);
  await mutate(ctx, { action: "member.change_role", targetType: "user", targetId: input.userId, data: { role: input.role } }, async (tx) => {
    const target = await lockMembership(tx, ctx.orgId, input.userId);
    assertMayManage(ctx, target.role, input.role);
    if (target.role === "owner" && input.role !== "owner") await assertNotLastOwner(tx, ctx.orgId, "be demoted");
    await tx.update(memberships).set({ role: input.role }).where(and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, input.userId)));
  });
  return listMembers(ctx);
}

/** Removes a member; any member may remove themselves (leave). */
export async function removeMember(ctx: OrgContext, raw: z.input<typeof ZRemoveMemberInput>): Promise<void> {
  const input = parseInput(ZRemoveMemberInput, raw);
  const leaving = actorUserId(ctx) === input.userId;
  await mutate(ctx, { action: leaving ? "member.leave" : "member.remove", targetType: "user", targetId: input.userId }, async (tx) => {
    const target = await lockMembership(tx, ctx.orgId, input.userId);
    if (!leaving) assertMayManage(ctx, target.role);
    if (target.role === "owner") await assertNotLastOwner(tx, ctx.orgId, "leave");
    await tx.delete(memberships).where(and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, input.userId)));
  });
}

export async function countMembers(db: Executor, orgId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(memberships).where(eq(memberships.orgId, orgId));
  return row?.n ?? 0;
}
