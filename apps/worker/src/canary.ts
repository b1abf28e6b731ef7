import type PgBoss from "pg-boss";

import { advanceCanaries } from "@gantry/api/abtests";
import type { Database } from "@gantry/db";

import { RETRAIN_TICK_QUEUE } from "./retraining";

export const CANARY_TICK_QUEUE = "canary-tick";

/**
 * A pg-boss cron message every minute (one across all workers) judges every running canary:
 * roll back on a breached guard (with an alert), step up, or promote after the last step. A canary
 * that ended asks for a retraining pass now, so a run it belongs to records the outcome at once.
 */
export async function startCanaryTicks(boss: PgBoss, options: { db: Database; log: (msg: string) => void }) {
  await boss.createQueue(CANARY_TICK_QUEUE, { name: CANARY_TICK_QUEUE, retryLimit: 0, expireInSeconds: 300 });
  await boss.schedule(CANARY_TICK_QUEUE, "* * * * *");
  await boss.work(CANARY_TICK_QUEUE, { pollingIntervalSeconds: 5 }, async () => {
    const outcomes = await advanceCanaries(options.db);
    for (const o of outcomes) if (o.action !== "wait") options.log(`canary: ${o.endpoint} ${o.action}: ${o.detail}`);
    if (outcomes.some((o) => o.action === "promote" || o.action === "rollback")) await boss.send(RETRAIN_TICK_QUEUE, {});
    return { judged: outcomes.length };
  });
}
