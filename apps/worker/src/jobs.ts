import PgBoss from "pg-boss";

import postgres from "postgres";

import { JOB_CANCEL_CHANNEL, JOBS_CHANNEL, PGBOSS_SCHEMA } from "@gantry/api/jobs";
import type { Database } from "@gantry/db";
import { and, isNotNull, lt, or } from "@gantry/db";
import { invitations } from "@gantry/schema";

import { startCanaryTicks } from "./canary";
import { startMonitorTicks, startWebhookDelivery } from "./monitors";
import { RETRAIN_TICK_QUEUE, startRetrainTicks } from "./retraining";
import { startScheduleTicks } from "./schedules";
import type { TrainingQueueOptions } from "./training/queue";
import { startTrainingQueue } from "./training/queue";

export const HOUSEKEEPING_QUEUE = "housekeeping";

/** Invitations that can no longer be used are kept 30 days for the record, then deleted. */
export async function purgeStaleInvitations(db: Database, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - 30 * 86_400_000);
  const deleted = await db
    .delete(invitations)
    .where(or(lt(invitations.expiresAt, cutoff), and(isNotNull(invitations.acceptedAt), lt(invitations.acceptedAt, cutoff)), and(isNotNull(invitations.revokedAt), lt(invitations.revokedAt, cutoff))))
    .returning({ id: invitations.id });
  return deleted.length;
}

/** Starts pg-boss on the app database and registers the job handlers of the `jobs` role. */
export async function startJobs(options: { db: Database; url: string; log: (msg: string) => void; training: Omit<TrainingQueueOptions, "db" | "log"> }) {
  const boss = new PgBoss({ connectionString: options.url, schema: PGBOSS_SCHEMA, application_name: "gantry-worker-jobs" });
  boss.on("error", (error) => options.log(`pg-boss error: ${String(error)}`));
  await boss.start();
  await boss.createQueue(HOUSEKEEPING_QUEUE);
  await boss.schedule(HOUSEKEEPING_QUEUE, "17 * * * *");
  await boss.work(HOUSEKEEPING_QUEUE, async () => {
    const purged = await purgeStaleInvitations(options.db);
    if (purged) options.log(`housekeeping: purged ${purged} stale invitations`);
  });
  // A retraining run waiting on its job moves as soon as the job ends.
  const training = await startTrainingQueue(boss, { ...options.training, db: options.db, log: options.log, onJobEnded: () => boss.send(RETRAIN_TICK_QUEUE, {}) });
  // One connection LISTENs for new messages, so a submitted job starts without waiting for a poll.
  const listener = postgres(options.url, { max: 1, onnotice: () => undefined, connection: { application_name: "gantry-worker-listen" } });
  await listener.listen(JOBS_CHANNEL, () => training.wake());
  await listener.listen(JOB_CANCEL_CHANNEL, (jobId) => training.cancel(jobId));
  await startScheduleTicks(boss, { db: options.db, log: options.log });
  await startMonitorTicks(boss, { db: options.db, store: options.training.store, log: options.log });
  await startRetrainTicks(boss, { db: options.db, store: options.training.store, log: options.log });
  await startCanaryTicks(boss, { db: options.db, log: options.log });
  const webhooks = startWebhookDelivery({ db: options.db, log: options.log });
  return {
    boss,
    stop: async (timeoutMs: number) => {
      webhooks.stop();
      await listener.end({ timeout: 2 });
      await training.stop();
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
    },
  };
}
