import type { TRPCClient } from "@trpc/client";

import type { AppRouter } from "@gantry/api";
import type { Job, JobLogPage, JobPage, ListJobsInput } from "@gantry/schema/job-contracts";
import type { TrainingSpecInput } from "@gantry/schema/training";

import { toGantryApiError } from "./client";

export type WaitOptions = {
  /** Called with the job whenever its status or progress changed since the last poll. */
  onProgress?: (job: Job) => void;
  /** Poll interval; default 1 s. */
  intervalMs?: number;
  /** Stops waiting (rejects with the signal's reason); the job itself goes on. */
  signal?: AbortSignal;
};

export type JobsClient = {
  /** Validated and pinned to a dataset version by the server; errors name the field (`spec.epochs: …`). */
  submitTraining: (spec: TrainingSpecInput) => Promise<Job>;
  get: (jobId: string) => Promise<Job>;
  list: (input?: ListJobsInput) => Promise<JobPage>;
  cancel: (jobId: string) => Promise<Job>;
  /** A failed or cancelled job again, as a new job. */
  retry: (jobId: string) => Promise<Job>;
  /** Log lines after `after` (the `lastId` of the previous page). */
  logs: (jobId: string, after?: number) => Promise<JobLogPage>;
  /** Polls until the job is finished (succeeded, failed or cancelled) and answers it; a failed job is an answer, not an error. */
  wait: (jobId: string, options?: WaitOptions) => Promise<Job>;
};

export const isFinished = (job: Pick<Job, "status">) => job.status === "succeeded" || job.status === "failed" || job.status === "cancelled";

/** Client calls reject with GantryApiError (code, status, field). */
export const wrap = <A extends unknown[], T>(call: (...args: A) => Promise<T>) => (...args: A) => call(...args).catch((error: unknown) => Promise.reject(toGantryApiError(error)));

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function createJobsClient(api: TRPCClient<AppRouter>): JobsClient {
  const get = wrap((jobId: string) => api.job.get.query({ jobId }));
  return {
    submitTraining: wrap((spec: TrainingSpecInput) => api.job.submitTraining.mutate({ spec })),
    get,
    list: wrap((input: ListJobsInput = {}) => api.job.list.query(input)),
    cancel: wrap((jobId: string) => api.job.cancel.mutate({ jobId })),
    retry: wrap((jobId: string) => api.job.retry.mutate({ jobId })),
    logs: wrap((jobId: string, after?: number) => api.job.logs.query({ jobId, after })),
    wait: async (jobId, options = {}) => {
      let seen = "";
      for (;;) {
        const job = await get(jobId);
        const state = JSON.stringify([job.status, job.progress]);
        if (state !== seen) {
          seen = state;
          options.onProgress?.(job);
        }
        if (isFinished(job)) return job;
        await sleep(options.intervalMs ?? 1000, options.signal);
      }
    },
  };
}
