import { and, desc, eq } from "@gantry/db";
import { GantryError, invitations, memberships, orgs, roleAtLeast, ZAcceptInvitationInput, ZCreateInvitationInput } from "@gantry/schema";
import type { CreateInvitationInput, Invitation, MyOrg } from "@gantry/schema";
import type { Executor } from "@gantry/db";

import type { OrgContext, UserContext } from "../context";
import { parseInput } from "../parse";
import { mutate, recordAudit } from "./audit";
import { randomToken, sha256 } from "./tokens";

type InvitationRow = typeof invitations.$inferSelect;

const statusOf = (row: InvitationRow, now = new Date()): Invitation["status"] =>
  row.acceptedAt ? "accepted" : row.revokedAt ? "revoked" : row.expiresAt <= now ? "expired" : "pending";

const toInvitation = (row: InvitationRow): Invitation => ({
  id: row.id,
  role: row.role,
  email: row.email,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
  acceptedAt: row.acceptedAt,
  revokedAt: row.revokedAt,
  status: statusOf(row),
});

/** Creates a one-time invitation. The token is returned once, for the link; only its hash is kept. */
export async function createInvitation(ctx: OrgContext, raw: CreateInvitationInput): Promise<{ invitation: Invitation; token: string }> {
  const input = parseInput(ZCreateInvitationInput, raw);
  if (input.role === "admin" && !roleAtLeast(ctx.role, "admin")) throw new GantryError("FORBIDDEN", "Only admins can invite admins", { field: "role" });
  const token = `inv_${randomToken(32)}`;
  const row = await mutate(
    ctx,
    (r: InvitationRow) => ({ action: "invitation.create", targetType: "invitation", targetId: r.id, data: { role: r.role, email: r.email } }),
    async (tx) => {
      const [r] = await tx
        .insert(invitations)
        .values({
          orgId: ctx.orgId,
          tokenHash: sha256(token),
          role: input.role,
          email: input.email?.toLowerCase() ?? null,
          createdBy: ctx.actor.type === "system" ? null : ctx.actor.userId,
          expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
        })
        .returning();
      if (!r) throw new GantryError("INTERNAL", "Invitation not created");
      return r;
    },
  );
  return { invitation: toInvitation(row), token };
}

export async function listInvitations(ctx: OrgContext): Promise<Invitation[]> {
  const rows = await ctx.db.select().from(invitations).where(eq(invitations.orgId, ctx.orgId)).orderBy(desc(invitations.createdAt)).limit(200);
  return rows.map(toInvitation);
}

export async function revokeInvitation(ctx: OrgContext, id: string): Promise<void> {
  await mutate(ctx, { action: "invitation.revoke", targetType: "invitation", targetId: id }, async (tx) => {
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.id, id), eq(invitations.orgId, ctx.orgId)))
      .returning({ id: invitations.id });
    if (!row) throw new GantryError("NOT_FOUND", "No such invitation in this organisation", { field: "id" });
  });
}

async function findUsable(db: Executor, token: string, lock: boolean) {
  const base = db
    .select({ invitation: invitations, org: { id: orgs.id, slug: orgs.slug, name: orgs.name, createdAt: orgs.createdAt } })
    .from(invitations)
    .innerJoin(orgs, eq(orgs.id, invitations.orgId))
    .where(eq(invitations.tokenHash, sha256(token)))
    .limit(1);
  const [row] = lock ? await base.for("update", { of: invitations }) : await base;
  if (!row) throw new GantryError("NOT_FOUND", "This invitation link is not valid", { field: "token" });
  const status = statusOf(row.invitation);
  if (status !== "pending") {
    const why = { accepted: "has already been used", revoked: "was revoked", expired: "has expired" }[status];
    throw new GantryError("PRECONDITION_FAILED", `This invitation ${why}; ask for a new link`, { field: "token" });
  }
  return row;
}

/** What the accept page shows before the user commits. */
export async function previewInvitation(db: Executor, raw: { token: string }) {
  const { token } = parseInput(ZAcceptInvitationInput, raw);
  const { invitation, org } = await findUsable(db, token, false);
  return { org: { slug: org.slug, name: org.name }, role: invitation.role, email: invitation.email, expiresAt: invitation.expiresAt };
}

export async function acceptInvitation(ctx: UserContext & { email: string }, raw: { token: string }): Promise<MyOrg> {
  const { token } = parseInput(ZAcceptInvitationInput, raw);
  return ctx.db.transaction(async (tx) => {
    const { invitation, org } = await findUsable(tx, token, true);
    if (invitation.email && invitation.email !== ctx.email.toLowerCase()) {
      throw new GantryError("FORBIDDEN", `This invitation is for ${invitation.email}; sign in with that address`);
    }
    const inserted = await tx
      .insert(memberships)
      .values({ orgId: org.id, userId: ctx.actor.userId, role: invitation.role })
      .onConflictDoNothing()
      .returning({ role: memberships.role });
    if (inserted.length === 0) throw new GantryError("CONFLICT", `You are already a member of ${org.name}`);
    await tx.update(invitations).set({ acceptedAt: new Date(), acceptedBy: ctx.actor.userId }).where(eq(invitations.id, invitation.id));
    await recordAudit(tx, org.id, ctx.actor, { action: "invitation.accept", targetType: "invitation", targetId: invitation.id, data: { role: invitation.role } });
    return { ...org, role: invitation.role };
  });
}
