import type PgBoss from "pg-boss";

import type { ArtifactStore } from "@gantry/api/artifacts";
import { deliverDueWebhooks } from "@gantry/api/alerts";
import { evaluateDueMonitors } from "@gantry/api/monitoring";
import type { Database } from "@gantry/db";

export const MONITORS_TICK_QUEUE = "monitors-tick";

/**
 * A pg-boss cron message every minute (one across all workers) evaluates the monitors that are
 * due (each on its own `everyMinutes`); a failing monitor is reported and the others still run.
 */
export async function startMonitorTicks(boss: PgBoss, options: { db: Database; store: ArtifactStore; log: (msg: string) => void }) {
  await boss.createQueue(MONITORS_TICK_QUEUE, { name: MONITORS_TICK_QUEUE, retryLimit: 0, expireInSeconds: 300 });
  await boss.schedule(MONITORS_TICK_QUEUE, "* * * * *");
  await boss.work(MONITORS_TICK_QUEUE, { pollingIntervalSeconds: 5 }, async () => {
    const results = await evaluateDueMonitors(options.db, options.store);
    for (const r of results) if (r.status !== "ok") options.log(`monitors: ${r.monitorId} ${r.status}${r.error ? `: ${r.error}` : ""}`);
    return { evaluated: results.length };
  });
}

/**
 * Sends due webhook deliveries every few seconds (each claimed by one worker), off the monitors'
 * path: a receiver that is down only delays its own deliveries.
 */
export function startWebhookDelivery(options: { db: Database; log: (msg: string) => void; intervalMs?: number }) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    deliverDueWebhooks(options.db)
      .then((r) => {
        if (r.attempted) options.log(`webhooks: ${r.succeeded}/${r.attempted} delivered`);
      })
      .catch((error: unknown) => options.log(`webhooks: delivery pass failed: ${String(error)}`))
      .finally(() => (running = false));
  }, options.intervalMs ?? 5_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
