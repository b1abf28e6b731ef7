import type PgBoss from "pg-boss";

import { fireDueSchedules } from "@gantry/api/jobs";
import type { Database } from "@gantry/db";

export const SCHEDULES_TICK_QUEUE = "schedules-tick";

/**
 * A pg-boss cron message every minute (one per minute across all workers) fires the due training
 * schedules. A failed tick is not retried: the next minute's tick finds the same schedules due.
 */
export async function startScheduleTicks(boss: PgBoss, options: { db: Database; log: (msg: string) => void }) {
  await boss.createQueue(SCHEDULES_TICK_QUEUE, { name: SCHEDULES_TICK_QUEUE, retryLimit: 0, expireInSeconds: 300 });
  await boss.schedule(SCHEDULES_TICK_QUEUE, "* * * * *");
  await boss.work(SCHEDULES_TICK_QUEUE, { pollingIntervalSeconds: 5 }, async () => {
    const fired = await fireDueSchedules(options.db, new Date());
    for (const f of fired) options.log(`schedules: ${f.scheduleId} fired job ${f.jobId}${f.failed ? " (could not be submitted)" : ""}`);
    return { fired: fired.length };
  });
}
