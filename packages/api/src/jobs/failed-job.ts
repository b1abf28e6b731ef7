import { sql } from "@gantry/db";
import { GantryError, jobLogs, jobs } from "@gantry/schema";

import type { OrgContext } from "../context";
import type { JobRow } from "./read";
import { creatorOf } from "./submit";

export type FailedSubmission = {
  /** The spec as it was asked for (it could not be pinned). */
  spec: Record<string, unknown>;
  parentJobId?: string;
  scheduleId?: string;
  message: string;
  /** The log line that says who tried and why it stopped. */
  note: string;
};

/**
 * A training job that could not even be submitted (its dataset was deleted, a column is gone),
 * recorded as a failed job so that people see why in the jobs list: schedules fire without a
 * person watching, and a sweep's later trials are submitted by the worker. Never queued.
 */
export async function recordFailedSubmission(ctx: OrgContext, failed: FailedSubmission): Promise<JobRow> {
  const [job] = await ctx.db
    .insert(jobs)
    .values({
      orgId: ctx.orgId,
      kind: "train",
      status: "failed",
      spec: failed.spec,
      error: failed.message,
      createdBy: creatorOf(ctx),
      parentJobId: failed.parentJobId ?? null,
      scheduleId: failed.scheduleId ?? null,
      finishedAt: sql`now()`,
    })
    .returning();
  if (!job) throw new GantryError("INTERNAL", "Job not recorded");
  await ctx.db.insert(jobLogs).values({ orgId: ctx.orgId, jobId: job.id, level: "error", message: `${failed.note}: ${failed.message}` });
  return job;
}

/** What a submission failure says: our own errors as they are, anything else prefixed. */
export const submissionFailure = (error: unknown): string =>
  error instanceof GantryError ? error.message : `Submission failed: ${error instanceof Error ? error.message : String(error)}`;
