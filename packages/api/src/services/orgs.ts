import type { Executor } from "@gantry/db";
import { and, asc, eq } from "@gantry/db";
import { GantryError, memberships, orgs, ZCreateOrgInput, ZRenameOrgInput } from "@gantry/schema";
import type { CreateOrgInput, MyOrg, Org, RenameOrgInput, Role } from "@gantry/schema";

import type { OrgContext, UserContext } from "../context";
import { parseInput } from "../parse";
import { mutate, recordAudit } from "./audit";

const orgColumns = { id: orgs.id, slug: orgs.slug, name: orgs.name, createdAt: orgs.createdAt };

const slugTaken = (slug: string) => new GantryError("CONFLICT", `The slug "${slug}" is taken`, { field: "slug" });

/** Creates an org; the creator becomes its owner. */
export async function createOrg(ctx: UserContext, raw: CreateOrgInput): Promise<MyOrg> {
  const input = parseInput(ZCreateOrgInput, raw);
  return ctx.db.transaction(async (tx) => {
    const [org] = await tx
      .insert(orgs)
      .values({ slug: input.slug, name: input.name, createdBy: ctx.actor.userId })
      .onConflictDoNothing({ target: orgs.slug })
      .returning(orgColumns);
    if (!org) throw slugTaken(input.slug);
    await tx.insert(memberships).values({ orgId: org.id, userId: ctx.actor.userId, role: "owner" });
    await recordAudit(tx, org.id, ctx.actor, { action: "org.create", targetType: "org", targetId: org.id, data: { slug: org.slug, name: org.name } });
    return { ...org, role: "owner" as const };
  });
}

export async function listMyOrgs(db: Executor, userId: string): Promise<MyOrg[]> {
  return db
    .select({ ...orgColumns, role: memberships.role })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(orgs.name));
}

/** The org and the user's role in it, or NOT_FOUND when it does not exist or they are not a member. */
export async function findMembershipBySlug(db: Executor, userId: string, slug: string): Promise<{ org: Org; role: Role }> {
  const [row] = await db
    .select({ ...orgColumns, role: memberships.role })
    .from(orgs)
    .innerJoin(memberships, and(eq(memberships.orgId, orgs.id), eq(memberships.userId, userId)))
    .where(eq(orgs.slug, slug))
    .limit(1);
  if (!row) throw new GantryError("NOT_FOUND", `No organisation "${slug}" among yours`);
  const { role, ...org } = row;
  return { org, role };
}

export async function getOrg(ctx: OrgContext): Promise<Org> {
  const [org] = await ctx.db.select(orgColumns).from(orgs).where(eq(orgs.id, ctx.orgId)).limit(1);
  if (!org) throw new GantryError("NOT_FOUND", "Organisation not found");
  return org;
}

export async function renameOrg(ctx: OrgContext, raw: RenameOrgInput): Promise<Org> {
  const input = parseInput(ZRenameOrgInput, raw);
  return mutate(ctx, { action: "org.update", targetType: "org", targetId: ctx.orgId, data: input }, async (tx) => {
    if (input.slug) {
      const [clash] = await tx.select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, input.slug)).limit(1);
      if (clash && clash.id !== ctx.orgId) throw slugTaken(input.slug);
    }
    const [org] = await tx
      .update(orgs)
      .set({ name: input.name, ...(input.slug ? { slug: input.slug } : {}) })
      .where(eq(orgs.id, ctx.orgId))
      .returning(orgColumns);
    if (!org) throw new GantryError("NOT_FOUND", "Organisation not found");
    return org;
  });
}
