import { createHmac, randomBytes } from "node:crypto";

import type { Database, Executor } from "@gantry/db";
import { and, desc, eq, sql } from "@gantry/db";
import type { WebhookEvent } from "@gantry/schema";
import { GantryError, webhookDeliveries, webhooks, ZCreateWebhookInput, ZWebhookIdInput } from "@gantry/schema";
import type { z } from "zod";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { actingUserId } from "../registry/lookup";
import { mutate } from "../services/audit";

/*
 * Webhooks: alert events are queued as delivery rows (in the transaction that fired them) and
 * sent by the worker, off the monitoring path: a receiver that is down or slow delays only its
 * own deliveries. Each POST is signed: `X-Gantry-Signature: sha256=<hex HMAC-SHA256 of
 * "<timestamp>.<body>" with the webhook's secret>` and `X-Gantry-Timestamp` (seconds), so a
 * receiver can check both who sent it and that it is fresh (Stripe's scheme). A failed delivery
 * is retried with backoff (10 s, 30 s, 2 min, 10 min, 1 h) and then marked failed; every attempt
 * is visible (status, attempts, last HTTP status or error).
 */

export const WEBHOOK_BACKOFF_SECONDS = [10, 30, 120, 600, 3_600] as const;
const TIMEOUT_MS = 5_000;

export type WebhookView = { id: string; name: string; url: string; events: WebhookEvent[]; enabled: boolean; createdAt: Date };
const view = (w: typeof webhooks.$inferSelect): WebhookView => ({ id: w.id, name: w.name, url: w.url, events: w.events, enabled: w.enabled, createdAt: w.createdAt });

export async function createWebhook(ctx: OrgContext, raw: z.input<typeof ZCreateWebhookInput>): Promise<WebhookView & { secret: string }> {
  const input = parseInput(ZCreateWebhookInput, raw);
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  const row = await mutate(
    ctx,
    (w: typeof webhooks.$inferSelect) => ({ action: "webhook.create", targetType: "webhook", targetId: w.id, data: { name: w.name, url: w.url, events: w.events } }),
    async (tx) => {
      const [taken] = await tx.select({ id: webhooks.id }).from(webhooks).where(and(eq(webhooks.orgId, ctx.orgId), eq(webhooks.name, input.name)));
      if (taken) throw new GantryError("CONFLICT", `A webhook named '${input.name}' exists already`, { field: "name" });
      const [w] = await tx.insert(webhooks).values({ orgId: ctx.orgId, name: input.name, url: input.url, secret, events: input.events, createdBy: actingUserId(ctx) }).returning();
      if (!w) throw new GantryError("INTERNAL", "webhook not created");
      return w;
    },
  );
  return { ...view(row), secret };
}

export async function listWebhooks(ctx: OrgContext): Promise<WebhookView[]> {
  return (await ctx.db.select().from(webhooks).where(eq(webhooks.orgId, ctx.orgId)).orderBy(webhooks.name)).map(view);
}

export async function deleteWebhook(ctx: OrgContext, raw: string): Promise<void> {
  const { id } = parseInput(ZWebhookIdInput, { id: raw });
  await mutate(ctx, { action: "webhook.delete", targetType: "webhook", targetId: id }, async (tx) => {
    const [gone] = await tx.delete(webhooks).where(and(eq(webhooks.orgId, ctx.orgId), eq(webhooks.id, id))).returning({ id: webhooks.id });
    if (!gone) throw new GantryError("NOT_FOUND", `No webhook ${id}`, { field: "id" });
  });
}

/** A webhook's deliveries, newest first: what was sent, how often, with what answer. */
export async function webhookDeliveriesOf(ctx: OrgContext, raw: string) {
  const { id } = parseInput(ZWebhookIdInput, { id: raw });
  const [hook] = await ctx.db.select({ id: webhooks.id }).from(webhooks).where(and(eq(webhooks.orgId, ctx.orgId), eq(webhooks.id, id)));
  if (!hook) throw new GantryError("NOT_FOUND", `No webhook ${id}`, { field: "id" });
  return ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id)).orderBy(desc(webhookDeliveries.createdAt)).limit(100);
}

/** Queues the event for every enabled webhook of the org that subscribes to it (in the caller's transaction). */
export async function enqueueWebhookEvent(db: Executor, orgId: string, event: WebhookEvent, payload: Record<string, unknown>): Promise<number> {
  const rows = (await db.execute(sql`
    insert into webhook_deliveries (id, org_id, webhook_id, event, payload)
    select gen_random_uuid(), w.org_id, w.id, ${event}, ${JSON.stringify({ event, ...payload })}::jsonb
      from webhooks w where w.org_id = ${orgId} and w.enabled and w.events ? ${event}
    returning id`)) as unknown as { id: string }[];
  return rows.length;
}

export const signWebhook = (secret: string, timestamp: number, body: string) => `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;

/** Sends the deliveries that are due (each row locked, so several workers share them); answers how many were attempted. */
export async function deliverDueWebhooks(db: Database, now = new Date()): Promise<{ attempted: number; succeeded: number }> {
  const due = (await db.execute(sql`
    select d.id, d.event, d.payload, d.attempts, w.url, w.secret
      from webhook_deliveries d join webhooks w on w.id = d.webhook_id
     where d.status = 'pending' and d.next_attempt_at <= ${now.toISOString()}::timestamptz
     order by d.next_attempt_at limit 50`)) as unknown as { id: string; event: string; payload: Record<string, unknown>; attempts: number; url: string; secret: string }[];
  let succeeded = 0;
  for (const d of due) {
    // Claim it: another worker that read it too sees the attempt count move and skips it.
    const claimed = (await db.execute(sql`update webhook_deliveries set attempts = attempts + 1 where id = ${d.id} and attempts = ${d.attempts} and status = 'pending' returning id`)) as unknown as unknown[];
    if (!claimed.length) continue;
    const body = JSON.stringify({ id: d.id, ...d.payload });
    const timestamp = Math.floor(now.getTime() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(d.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-gantry-event": d.event, "x-gantry-delivery": d.id, "x-gantry-timestamp": String(timestamp), "x-gantry-signature": signWebhook(d.secret, timestamp, body) },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: "manual",
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    }
    const ok = status !== null && status >= 200 && status < 300;
    const attempt = d.attempts + 1;
    const wait = WEBHOOK_BACKOFF_SECONDS[attempt - 1];
    if (ok) succeeded++;
    await db.execute(sql`
      update webhook_deliveries set
        status = ${ok ? "succeeded" : wait === undefined ? "failed" : "pending"},
        last_status_code = ${status}, last_error = ${ok ? null : (error ?? `HTTP ${status}`)},
        delivered_at = ${ok ? now.toISOString() : null}::timestamptz,
        next_attempt_at = ${new Date(now.getTime() + (wait ?? 0) * 1000).toISOString()}::timestamptz
      where id = ${d.id}`);
  }
  return { attempted: due.length, succeeded };
}
