import type { Executor } from "@gantry/db";
import { and, eq, sql } from "@gantry/db";
import { jobs } from "@gantry/schema";

import { updateRun } from "../tracking/runs";
import { appendJobLog, jobContext } from "./lease";
import { enqueueTrainingJob, PGBOSS_SCHEMA, TRAIN_QUEUE } from "./queue";

export type RecoveryOptions = {
  /** A running job whose heartbeat is older than this has lost its worker. */
  staleMs: number;
  /** A job whose worker died this many times is failed instead of retaken. */
  maxAttempts: number;
};

export type RecoveryReport = { requeued: string[]; failed: string[]; cancelled: string[] };

/** Any number: the advisory lock that lets one recovery pass run at a time across workers. */
const RECOVERY_LOCK = 0x6a6f6273; // "jobs"

type Candidate = { id: string; org_id: string; status: string; attempts: number; cancel_requested: boolean; run_id: string | null; created_by: string | null; worker_id: string | null };

/**
 * Finds training jobs no worker is on and no queue message will reach, and acts once for each:
 * - running, heartbeat older than `staleMs` (the worker died): re-enqueued for a retake, or failed
 *   after `maxAttempts`, or cancelled when a cancel was asked for;
 * - queued with no live message (lost, or sent before pg-boss existed): enqueued.
 * A message is live while waiting, or active and fetched less than `staleMs` ago (an older active
 * one belonged to the dead worker). One pass at a time (advisory lock), all in one transaction,
 * so a job is re-enqueued once however many workers recover concurrently.
 */
export async function recoverStaleJobs(db: Executor, options: RecoveryOptions): Promise<RecoveryReport> {
  const report: RecoveryReport = { requeued: [], failed: [], cancelled: [] };
  const staleBefore = sql`now() - make_interval(secs => ${options.staleMs / 1000}::float8)`;
  await db.transaction(async (tx) => {
    const [lock] = await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(${RECOVERY_LOCK}) as ok`);
    if (!lock?.ok) return;
    const candidates = await tx.execute<Candidate>(sql`
      select j.id, j.org_id, j.status, j.attempts, j.cancel_requested, j.run_id, j.created_by, j.worker_id
      from jobs j
      where j.kind = 'train'
        and (j.status = 'queued' or (j.status = 'running' and j.heartbeat_at < ${staleBefore}))
        and not exists (
          select 1 from ${sql.identifier(PGBOSS_SCHEMA)}.job m
          where m.name = ${TRAIN_QUEUE} and m.data->>'jobId' = j.id::text
            and (m.state in ('created', 'retry') or (m.state = 'active' and m.started_on > ${staleBefore})))
      order by j.created_at
      for update of j skip locked
      limit 100`);
    for (const job of candidates) {
      const ref = { orgId: job.org_id, jobId: job.id };
      if (job.status === "running" && (job.cancel_requested || job.attempts >= options.maxAttempts)) {
        const cancelled = job.cancel_requested;
        const message = cancelled
          ? "Cancelled: its worker stopped responding after the cancel was asked for"
          : `Failed: the worker running it stopped responding ${job.attempts} times (last ${job.worker_id ?? "unknown"}); giving up`;
        if (job.run_id) await updateRun(await jobContext(tx, { id: job.id, orgId: job.org_id, createdBy: job.created_by }), job.run_id, { status: cancelled ? "KILLED" : "FAILED" });
        await tx
          .update(jobs)
          .set({ status: cancelled ? "cancelled" : "failed", error: cancelled ? null : message, finishedAt: sql`now()`, workerId: null })
          .where(and(eq(jobs.id, job.id), eq(jobs.status, "running")));
        await appendJobLog(tx, ref, message, cancelled ? "warn" : "error");
        (cancelled ? report.cancelled : report.failed).push(job.id);
        continue;
      }
      await enqueueTrainingJob(tx, job.id, job.attempts);
      if (job.status === "running") await appendJobLog(tx, ref, `Worker ${job.worker_id ?? "?"} stopped responding during attempt ${job.attempts}; re-queued`, "warn");
      report.requeued.push(job.id);
    }
  });
  return report;
}
