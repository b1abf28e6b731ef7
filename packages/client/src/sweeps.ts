import type { TRPCClient } from "@trpc/client";

import type { AppRouter } from "@gantry/api";
import type { Job } from "@gantry/schema/job-contracts";
import type { SweepConfigInput } from "@gantry/schema/jobs";
import type { SweepView } from "@gantry/schema/sweep-contracts";

import { isFinished, sleep, wrap } from "./jobs";

export type SweepWaitOptions = {
  /** Called with the sweep whenever a trial's status or the best so far changed since the last poll. */
  onProgress?: (view: SweepView) => void;
  /** Poll interval; default 1 s. */
  intervalMs?: number;
  /** Stops waiting (rejects with the signal's reason); the sweep itself goes on. */
  signal?: AbortSignal;
};

export type SweepsClient = {
  /** Validated by the server before anything is stored; errors name the field (`config.parameters.learningRate: …`). */
  submit: (config: SweepConfigInput) => Promise<Job>;
  /** The sweep job, each trial's values, status and run metrics, and the best trial so far. */
  get: (jobId: string) => Promise<SweepView>;
  /** Polls until the sweep is finished and answers it; a failed sweep is an answer, not an error. */
  wait: (jobId: string, options?: SweepWaitOptions) => Promise<SweepView>;
};

export function createSweepsClient(api: TRPCClient<AppRouter>): SweepsClient {
  const get = wrap((jobId: string) => api.job.sweep.query({ jobId }));
  return {
    submit: wrap((config: SweepConfigInput) => api.job.submitSweep.mutate({ config })),
    get,
    wait: async (jobId, options = {}) => {
      let seen = "";
      for (;;) {
        const view = await get(jobId);
        const state = JSON.stringify([view.sweep.status, view.trials.map((t) => t.status), view.best?.jobId]);
        if (state !== seen) {
          seen = state;
          options.onProgress?.(view);
        }
        if (isFinished(view.sweep)) return view;
        await sleep(options.intervalMs ?? 1000, options.signal);
      }
    },
  };
}
