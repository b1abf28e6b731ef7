import type { TRPCRouterRecord } from "@trpc/server";

import { ZJob, ZJobIdInput, ZJobLogPage, ZJobLogsInput, ZJobPage, ZListJobsInput, ZSubmitSweepInput, ZSubmitTrainingJobInput, ZSweepView } from "@gantry/schema";

import { cancelJob } from "../jobs/cancel";
import { getJob, listJobLogs, listJobs } from "../jobs/read";
import { retryJob, submitTrainingJob } from "../jobs/submit";
import { getSweep, submitSweep } from "../jobs/sweeps";
import { orgProcedure, orgWriteProcedure } from "../trpc";

export const jobRouter = {
  list: orgProcedure.input(ZListJobsInput).output(ZJobPage).query(({ ctx, input }) => listJobs(ctx.svc, input)),
  get: orgProcedure.input(ZJobIdInput).output(ZJob).query(({ ctx, input }) => getJob(ctx.svc, input.jobId)),
  /** Log lines after `after` (the last id seen), for live tailing. */
  logs: orgProcedure.input(ZJobLogsInput).output(ZJobLogPage).query(({ ctx, input }) => listJobLogs(ctx.svc, input)),
  submitTraining: orgWriteProcedure.input(ZSubmitTrainingJobInput).output(ZJob).mutation(({ ctx, input }) => submitTrainingJob(ctx.svc, input.spec)),
  cancel: orgWriteProcedure.input(ZJobIdInput).output(ZJob).mutation(({ ctx, input }) => cancelJob(ctx.svc, input.jobId)),
  /** A failed or cancelled job again, as a new job with the same pinned spec. */
  retry: orgWriteProcedure.input(ZJobIdInput).output(ZJob).mutation(({ ctx, input }) => retryJob(ctx.svc, input.jobId)),
  /** A grid or random search: the sweep job, its parent run and its first trials (children: `list` with `parentJobId`). */
  submitSweep: orgWriteProcedure.input(ZSubmitSweepInput).output(ZJob).mutation(({ ctx, input }) => submitSweep(ctx.svc, input.config)),
  /** A sweep's trials (values, job status, run metrics) and its best trial so far. */
  sweep: orgProcedure.input(ZJobIdInput).output(ZSweepView).query(({ ctx, input }) => getSweep(ctx.svc, input.jobId)),
} satisfies TRPCRouterRecord;
