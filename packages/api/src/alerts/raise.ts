import type { Executor } from "@gantry/db";
import { and, desc, eq, sql } from "@gantry/db";
import type { AlertSeverity } from "@gantry/schema";
import { alerts, GantryError, newId, ZAlertIdInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { endpointByName } from "../serving/lookup";
import { mutate } from "../services/audit";
import { enqueueWebhookEvent } from "./webhooks";

export type AlertInput = {
  orgId: string;
  endpointId: string | null;
  source: string;
  /** Same fingerprint while firing = the same alert (its evidence and last-seen time are refreshed). */
  fingerprint: string;
  severity: AlertSeverity;
  title: string;
  evidence: Record<string, unknown>;
};

/** Raises an alert, or refreshes the one with its fingerprint that is firing already; answers its id. */
export async function raiseAlert(db: Executor, input: AlertInput): Promise<string> {
  const [row] = (await db.execute(sql`
    insert into alerts (id, org_id, endpoint_id, source, fingerprint, severity, title, evidence)
    values (${newId()}, ${input.orgId}, ${input.endpointId}, ${input.source}, ${input.fingerprint}, ${input.severity}, ${input.title}, ${JSON.stringify(input.evidence)}::jsonb)
    on conflict (org_id, fingerprint) where status = 'firing'
    do update set last_seen_at = now(), evidence = excluded.evidence, title = excluded.title, severity = excluded.severity, updated_at = now()
    returning id, (xmax = 0) as inserted`)) as unknown as { id: string; inserted: boolean }[];
  if (!row) throw new GantryError("INTERNAL", "alert not written");
  // Only a new firing is news: a refresh of one already firing notifies nobody again.
  if (row.inserted) await enqueueWebhookEvent(db, input.orgId, "alert.fired", { alert: { id: row.id, title: input.title, severity: input.severity, source: input.source, endpointId: input.endpointId, evidence: input.evidence } });
  return row.id;
}

export type AlertView = typeof alerts.$inferSelect;

/** The org's alerts, newest first: firing or resolved ones only, one endpoint's only (NOT_FOUND if the org has no such endpoint), when asked. */
export async function listAlerts(ctx: OrgContext, options: { status?: "firing" | "resolved"; endpoint?: string } = {}): Promise<AlertView[]> {
  const endpoint = options.endpoint === undefined ? null : await endpointByName(ctx, options.endpoint);
  return ctx.db
    .select()
    .from(alerts)
    .where(and(eq(alerts.orgId, ctx.orgId), options.status ? eq(alerts.status, options.status) : undefined, endpoint ? eq(alerts.endpointId, endpoint.id) : undefined))
    .orderBy(desc(alerts.firedAt))
    .limit(200);
}

/** Someone has seen it: it keeps firing until resolved, marked acknowledged by them. */
export async function acknowledgeAlert(ctx: OrgContext, raw: string): Promise<AlertView> {
  const { id } = parseInput(ZAlertIdInput, { id: raw });
  return mutate(
    ctx,
    { action: "alert.acknowledge", targetType: "alert", targetId: id },
    async (tx) => {
      const [row] = await tx
        .update(alerts)
        .set({ acknowledgedAt: sql`now()`, acknowledgedBy: ctx.actor.label, updatedAt: sql`now()` })
        .where(and(eq(alerts.orgId, ctx.orgId), eq(alerts.id, id)))
        .returning();
      if (!row) throw new GantryError("NOT_FOUND", `No alert ${id}`, { field: "id" });
      return row;
    },
  );
}

/** Resolves the firing alert with that fingerprint, if any, and tells the webhooks. */
export async function resolveAlert(db: Executor, orgId: string, fingerprint: string): Promise<void> {
  const resolved = await db
    .update(alerts)
    .set({ status: "resolved", resolvedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(alerts.orgId, orgId), eq(alerts.fingerprint, fingerprint), eq(alerts.status, "firing")))
    .returning();
  for (const a of resolved) await enqueueWebhookEvent(db, orgId, "alert.resolved", { alert: { id: a.id, title: a.title, severity: a.severity, source: a.source, endpointId: a.endpointId } });
}
