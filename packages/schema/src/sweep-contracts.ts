import { z } from "zod";

import { ZJob } from "./job-contracts";
import { jobStatuses, ZSweepConfig } from "./jobs";

/* What crosses the API boundary for sweeps (`job.submitSweep`, `job.sweep`, the client, the CLI). */

export const ZSubmitSweepInput = z.object({ config: ZSweepConfig });
export type SubmitSweepInput = z.input<typeof ZSubmitSweepInput>;

/** Any double: a trial's metrics may be NaN or ±Infinity (z.number() refuses those). */
const ZDouble = z.custom<number>((v) => typeof v === "number", { error: "must be a number" });

/** A trial not launched yet is `pending`; a launched one has its (latest) job's status. */
export const sweepTrialStatuses = ["pending", ...jobStatuses] as const;
export type SweepTrialStatus = (typeof sweepTrialStatuses)[number];

export const ZSweepTrial = z.object({
  /** Position in the sweep's expanded trials (0-based). */
  index: z.number(),
  /** The swept fields' values, by dotted path (`learningRate`, `model.hiddenLayers`). */
  values: z.record(z.string(), z.unknown()),
  status: z.enum(sweepTrialStatuses),
  jobId: z.string().nullable(),
  runId: z.string().nullable(),
  /** The run's latest value of each metric (a parallel-coordinates chart plots these against `values`). */
  metrics: z.record(z.string(), ZDouble),
  error: z.string().nullable(),
});
export type SweepTrial = z.output<typeof ZSweepTrial>;

export const ZSweepBest = z.object({ index: z.number(), jobId: z.string(), runId: z.string(), metric: z.string(), value: z.number() });
export type SweepBest = z.output<typeof ZSweepBest>;

export const ZSweepView = z.object({
  sweep: ZJob,
  method: z.enum(["grid", "random"]),
  /** The swept fields, in the config's order. */
  parameters: z.array(z.string()),
  metric: z.string(),
  goal: z.enum(["maximize", "minimize"]),
  concurrency: z.number(),
  trials: z.array(ZSweepTrial),
  /** The best finished trial so far by `metric` and `goal` (null while none has the metric). */
  best: ZSweepBest.nullable(),
});
export type SweepView = z.output<typeof ZSweepView>;

/** What a finished sweep job keeps as its `result`. */
export type SweepResult = {
  bestJobId: string | null;
  bestRunId: string | null;
  metric: string;
  value: number | null;
  trials: number;
  succeeded: number;
  failed: number;
  cancelled: number;
};
