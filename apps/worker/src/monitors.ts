import type PgBoss from "pg-boss";

import type { ArtifactStore } from "@gantry/api/artifacts";
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
