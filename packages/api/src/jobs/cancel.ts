import { eq, sql } from "@gantry/db";
import { finishedJobStatuses, GantryError, jobLogs, jobs } from "@gantry/schema";
import type { Job } from "@gantry/schema";

import type { OrgContext } from "../context";
import { mutate } from "../services/audit";
import { JOB_CANCEL_CHANNEL } from "./queue";
import { jobRow, toJob } from "./read";
import { advanceSweep, cancelSweep } from "./sweep-advance";

/**
 * Cancels a job. A queued one is cancelled at once (its queue message finds nothing to do); a
 * running one gets `cancelRequested` and a NOTIFY its worker acts on at the next batch (the
 * heartbeat reads the flag too, should the notification be missed) (the run ends KILLED). Cancelling a finished job is refused. A sweep is cancelled
 * at once with its queued trials (running ones are asked to stop); a sweep's queued trial cancelled
 * on its own lets the sweep move on.
 */
export async function cancelJob(ctx: OrgContext, id: string): Promise<Job> {
  const row = await mutate(ctx, { action: "job.cancel", targetType: "job", targetId: id }, async (tx) => {
    const job = await jobRow({ ...ctx, db: tx }, id, { forUpdate: true });
    if (finishedJobStatuses.includes(job.status)) {
      throw new GantryError("PRECONDITION_FAILED", `Job ${id} has already ${job.status === "cancelled" ? "been cancelled" : job.status}`, { field: "jobId" });
    }
    if (job.kind === "sweep") return cancelSweep({ ...ctx, db: tx }, job);
    if (job.status === "running" && job.cancelRequested) return job;
    const queued = job.status === "queued";
    const [updated] = await tx
      .update(jobs)
      .set(queued ? { status: "cancelled", cancelRequested: true, finishedAt: sql`now()`, workerId: null } : { cancelRequested: true })
      .where(eq(jobs.id, job.id))
      .returning();
    const message = queued ? `Cancelled by ${ctx.actor.label} before it started` : `Cancellation requested by ${ctx.actor.label}; the worker stops at the next batch`;
    await tx.insert(jobLogs).values({ orgId: ctx.orgId, jobId: job.id, level: "warn", message });
    // The worker running it hears this at once (on commit); its heartbeat would see the flag too, later.
    if (!queued) await tx.execute(sql`select pg_notify(${JOB_CANCEL_CHANNEL}, ${job.id})`);
    return updated ?? job;
  });
  if (row.parentJobId && row.status === "cancelled") await advanceSweep(ctx.db, row.parentJobId);
  return toJob(row);
}
