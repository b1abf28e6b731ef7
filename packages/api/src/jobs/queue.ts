import PgBoss from "pg-boss";

import type { Executor } from "@gantry/db";
import { sql } from "@gantry/db";
import type { SQL } from "@gantry/db";

/*
 * The pg-boss side of jobs. The `jobs` table is the truth about a job; a pg-boss message only
 * says "look at job X". Messages are written with pg-boss's own INSERT, routed through the
 * caller's transaction (its `db` option), so a job row and its message commit together.
 *
 * The web process sends without running pg-boss: `sender` is a PgBoss that is never started (no
 * pool, no maintenance, no cron; `send` only runs its INSERT on the `db` it is given). Only the
 * worker starts pg-boss (schema migration, maintenance, polling).
 */

export const PGBOSS_SCHEMA = "pgboss";
export const TRAIN_QUEUE = "train";
export type TrainMessage = { jobId: string };
/** NOTIFY channel that wakes idle workers when a message is enqueued (polling stays the fallback). */
export const JOBS_CHANNEL = "gantry_jobs";
/** NOTIFY channel naming a running job whose cancel was requested. */
export const JOB_CANCEL_CHANNEL = "gantry_job_cancel";

/**
 * pg-boss never retries a training message on its own: a user error ends the job, and a crashed
 * worker is covered by `recoverStaleJobs`, which knows whether the job already finished. Expiry is
 * pg-boss's maximum (below 24 h) so a long training is not failed under its handler.
 */
export const trainQueueOptions = { retryLimit: 0, expireInSeconds: 23 * 3600 } as const;

const unusable = {
  executeSql: () => Promise.reject(new Error("the job sender has no database of its own; pass a transaction")),
};
const sender = new PgBoss({ db: unusable, schema: PGBOSS_SCHEMA, migrate: false, supervise: false, schedule: false });

/** pg-boss's `$n` SQL as a drizzle query on our executor (postgres.js): objects go as JSON text, as node-postgres sends them. */
function toQuery(text: string, values: unknown[]): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(last, match.index)));
    const value = values[Number(match[1]) - 1] ?? null;
    chunks.push(sql`${value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value}`);
    last = match.index + match[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks);
}

/** pg-boss's `db` adapter over one of our executors (a transaction, usually). */
export const pgBossDb = (db: Executor) => ({
  executeSql: async (text: string, values: unknown[] = []) => ({ rows: [...(await db.execute(toQuery(text, values)))] as Record<string, unknown>[] }),
});

/**
 * Enqueues "run job X" inside `tx`. Returns the message id, or null when pg-boss is not set up yet
 * (no worker has ever started: no schema or no queue); the job then stays queued and the first
 * worker's recovery pass enqueues it. A savepoint keeps that case from aborting `tx`.
 */
export async function enqueueTrainingJob(tx: Executor, jobId: string, attempts: number): Promise<string | null> {
  try {
    return await tx.transaction(async (savepoint) => {
      const data: TrainMessage = { jobId };
      // singletonKey does not deduplicate on a standard queue; it labels the message for people.
      const id = await sender.send(TRAIN_QUEUE, data, { ...trainQueueOptions, singletonKey: `${jobId}:${attempts}`, db: pgBossDb(savepoint) });
      // Delivered on commit: a waiting worker fetches at once instead of at its next poll.
      await savepoint.execute(sql`select pg_notify(${JOBS_CHANNEL}, ${TRAIN_QUEUE})`);
      return id;
    });
  } catch (error) {
    if (isMissingRelation(error)) return null;
    throw error;
  }
}

/** 42P01 undefined_table, 3F000 invalid_schema_name. */
const isMissingRelation = (error: unknown): boolean => {
  const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  return code === "42P01" || code === "3F000";
};
