import type { Executor } from "@gantry/db";
import { and, desc, eq, lt } from "@gantry/db";
import { auditEvents } from "@gantry/schema";
import type { AuditEvent, ZListAuditInput } from "@gantry/schema";
import type { z } from "zod";

import type { Actor, OrgContext } from "../context";

export type AuditInput = {
  action: string;
  targetType: string;
  targetId?: string | null;
  data?: Record<string, unknown>;
};

const actorFields = (actor: Actor) => ({
  actorType: actor.type,
  actorId: actor.type === "user" ? actor.userId : actor.type === "api_key" ? actor.keyId : null,
  actorLabel: actor.label,
});

export async function recordAudit(db: Executor, orgId: string, actor: Actor, event: AuditInput): Promise<void> {
  await db.insert(auditEvents).values({
    orgId,
    ...actorFields(actor),
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId ?? null,
    data: event.data ?? {},
  });
}

/**
 * Runs a mutation and writes its audit event in the same transaction: either both land or
 * neither does. `audit` sees the mutation's result (ids of created rows).
 */
export async function mutate<T>(
  ctx: OrgContext,
  audit: AuditInput | ((result: T) => AuditInput),
  fn: (tx: Executor) => Promise<T>,
): Promise<T> {
  return ctx.db.transaction(async (tx) => {
    const result = await fn(tx);
    await recordAudit(tx, ctx.orgId, ctx.actor, typeof audit === "function" ? audit(result) : audit);
    return result;
  });
}

export async function listAuditEvents(
  ctx: OrgContext,
  input: z.output<typeof ZListAuditInput>,
): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  const rows = await ctx.db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.orgId, ctx.orgId),
        input.cursor ? lt(auditEvents.id, input.cursor) : undefined,
        input.action ? eq(auditEvents.action, input.action) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit).map(({ orgId: _orgId, ...rest }) => rest);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}
