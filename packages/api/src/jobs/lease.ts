import type { Executor } from "@gantry/db";
import { and, eq, lt, or, sql } from "@gantry/db";
import { jobLogs, jobs, users } from "@gantry/schema";
import type { JobProgress } from "@gantry/schema";

import type { OrgContext } from "../context";
import { isUuid } from "../tracking/ids";
import { enqueueTrainingJob } from "./queue";
import type { JobRow } from "./read";

/*
 * A worker owns a running job through a lease: (job id, worker id, attempt). Every write the
 * worker makes re-checks the lease in its own transaction, so a worker that lost the job (it was
 * too slow to heartbeat and another worker took it over) cannot write anything after that.
 */

export type JobLease = { jobId: string; orgId: string; workerId: string; attempt: number };

/** The worker no longer owns the job: stop, write nothing. */
export class JobLeaseLostError extends Error {
  constructor(readonly lease: JobLease) {
    super(`Job ${lease.jobId} (attempt ${lease.attempt}) is no longer owned by worker ${lease.workerId}`);
    this.name = "JobLeaseLostError";
  }
}

export const leaseOf = (job: JobRow, workerId: string): JobLease => ({ jobId: job.id, orgId: job.orgId, workerId, attempt: job.attempts });

const staleBefore = (staleMs: number) => sql`now() - make_interval(secs => ${staleMs / 1000}::float8)`;

const owned = (lease: JobLease) =>
  and(eq(jobs.id, lease.jobId), eq(jobs.workerId, lease.workerId), eq(jobs.attempts, lease.attempt), eq(jobs.status, "running"));

/**
 * Takes a job atomically: a queued one, or a running one whose worker stopped heartbeating
 * `staleMs` ago (a retake: the attempt count says so). Null means another worker owns it or it
 * is finished: there is nothing to do.
 */
export async function claimJob(db: Executor, input: { jobId: string; workerId: string; staleMs: number }): Promise<JobRow | null> {
  if (!isUuid(input.jobId)) return null;
  const [row] = await db
    .update(jobs)
    .set({ status: "running", attempts: sql`${jobs.attempts} + 1`, workerId: input.workerId, heartbeatAt: sql`now()`, startedAt: sql`coalesce(${jobs.startedAt}, now())` })
    .where(and(eq(jobs.id, input.jobId), or(eq(jobs.status, "queued"), and(eq(jobs.status, "running"), lt(jobs.heartbeatAt, staleBefore(input.staleMs))))))
    .returning();
  return row ?? null;
}

/** Refreshes the lease. `owned: false` means the job was taken over (or ended): stop at once. */
export async function heartbeatJob(db: Executor, lease: JobLease): Promise<{ owned: boolean; cancelRequested: boolean }> {
  const [row] = await db.update(jobs).set({ heartbeatAt: sql`now()` }).where(owned(lease)).returning({ cancelRequested: jobs.cancelRequested });
  return { owned: Boolean(row), cancelRequested: row?.cancelRequested ?? false };
}

/** Inside a transaction: re-checks the lease (and heartbeats), optionally setting fields; throws when lost. */
export async function holdLease(tx: Executor, lease: JobLease, set: Partial<Pick<JobRow, "progress" | "runId">> = {}): Promise<JobRow> {
  const [row] = await tx
    .update(jobs)
    .set({ ...set, heartbeatAt: sql`now()` })
    .where(owned(lease))
    .returning();
  if (!row) throw new JobLeaseLostError(lease);
  return row;
}

export async function appendJobLog(db: Executor, job: { orgId: string; jobId: string }, message: string, level: "info" | "warn" | "error" = "info"): Promise<void> {
  await db.insert(jobLogs).values({ orgId: job.orgId, jobId: job.jobId, level, message });
}

/** Progress of a running job (a sweep's parent reports its children this way). */
export async function setJobProgress(db: Executor, lease: JobLease, progress: JobProgress): Promise<{ cancelRequested: boolean }> {
  const row = await holdLease(db, lease, { progress });
  return { cancelRequested: row.cancelRequested };
}

/**
 * A worker shutting down hands its job back: queued again, with a fresh queue message, in one
 * transaction. The next claim counts as a new attempt and retakes the run from scratch.
 */
export async function releaseJob(db: Executor, lease: JobLease, reason: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.update(jobs).set({ status: "queued", workerId: null, heartbeatAt: null }).where(owned(lease)).returning({ id: jobs.id });
    if (!row) return false;
    await appendJobLog(tx, lease, `${reason}: handed back to the queue`, "warn");
    await enqueueTrainingJob(tx, lease.jobId, lease.attempt);
    return true;
  });
}

/**
 * The context a worker acts in for a job: the job's org, as the platform working on behalf of
 * the job's creator (runs it creates are authored by that user; audit events say "worker").
 */
export async function jobContext(db: Executor, job: Pick<JobRow, "orgId" | "createdBy" | "id">): Promise<OrgContext & { creatorLabel: string | null }> {
  const [creator] = job.createdBy ? await db.select({ email: users.email }).from(users).where(eq(users.id, job.createdBy)) : [];
  const creatorLabel = creator?.email ?? null;
  return {
    db,
    orgId: job.orgId,
    role: "member",
    actor: { type: "system", label: creatorLabel ? `worker for ${creatorLabel}` : "worker", ...(job.createdBy ? { onBehalfOf: job.createdBy } : {}) },
    creatorLabel,
  };
}
