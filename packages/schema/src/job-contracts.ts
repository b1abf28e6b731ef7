import { z } from "zod";

import { jobKinds, jobStatuses } from "./jobs";
import { ZTrainingSpec } from "./training";

/* What crosses the API boundary for jobs (tRPC `job` router, the client, the CLI). */

export const ZJobIdInput = z.object({ jobId: z.string({ error: "jobId is required" }).min(1, { error: "jobId is required" }) });

export const ZSubmitTrainingJobInput = z.object({ spec: ZTrainingSpec });
export type SubmitTrainingJobInput = z.input<typeof ZSubmitTrainingJobInput>;

export const ZListJobsInput = z.object({
  status: z.union([z.enum(jobStatuses), z.array(z.enum(jobStatuses)).min(1)]).optional(),
  kind: z.enum(jobKinds).optional(),
  /** A sweep's children. */
  parentJobId: z.uuid().optional(),
  /** Only jobs that are not a sweep's trials (the portal's jobs list). */
  topLevel: z.boolean().optional(),
  scheduleId: z.uuid().optional(),
  limit: z.number().int().min(1).max(200).default(50),
  /** Keyset cursor: the id of the last job seen (ids are time-ordered UUIDv7, newest first). */
  cursor: z.uuid({ error: "cursor must be a job id" }).optional(),
});
export type ListJobsInput = z.input<typeof ZListJobsInput>;

export const ZJobProgress = z.object({
  fraction: z.number(),
  epoch: z.number().optional(),
  epochs: z.number().optional(),
  done: z.number().optional(),
  total: z.number().optional(),
  etaMs: z.number().optional(),
  metrics: z.record(z.string(), z.number()).optional(),
});

export const ZJob = z.object({
  id: z.string(),
  kind: z.enum(jobKinds),
  status: z.enum(jobStatuses),
  spec: z.record(z.string(), z.unknown()),
  progress: ZJobProgress,
  runId: z.string().nullable(),
  parentJobId: z.string().nullable(),
  scheduleId: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  cancelRequested: z.boolean(),
  attempts: z.number(),
  createdBy: z.string().nullable(),
  heartbeatAt: z.date().nullable(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Job = z.output<typeof ZJob>;

export const ZJobPage = z.object({ items: z.array(ZJob), nextCursor: z.string().nullable() });
export type JobPage = z.output<typeof ZJobPage>;

export const ZJobLogsInput = ZJobIdInput.extend({
  /** Lines after this log id (live tailing passes the last id it saw). */
  after: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type JobLogsInput = z.input<typeof ZJobLogsInput>;

export const ZJobLogLine = z.object({ id: z.number(), level: z.enum(["info", "warn", "error"]), message: z.string(), at: z.date() });
export type JobLogLine = z.output<typeof ZJobLogLine>;
/** `lastId` is what to pass as `after` next (unchanged when nothing new came). */
export const ZJobLogPage = z.object({ items: z.array(ZJobLogLine), lastId: z.number() });
export type JobLogPage = z.output<typeof ZJobLogPage>;
