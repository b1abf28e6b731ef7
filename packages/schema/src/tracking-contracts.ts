import { z } from "zod";

import { runStatuses } from "./tracking";

/* Limits from MLflow's validation (specs/mlflow-api.md §2 "Limits"). */
export const trackingLimits = {
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  experimentNameLength: 500,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
  searchRunsMax: 50_000,
  historyMax: 25_000,
} as const;

const keyPattern = /^[/\w.\- ]*$/;

export const ZTrackingKey = z
  .string({ error: "key must be a string" })
  .min(1, { error: "key must not be empty" })
  .max(trackingLimits.keyLength, { error: `key must be at most ${trackingLimits.keyLength} characters` })
  .refine((k) => keyPattern.test(k), { error: "key may only contain letters, digits, underscores, dashes, periods, spaces and slashes" })
  .refine((k) => !k.includes("..") && !k.startsWith("/"), { error: "key may not contain '..' or start with '/'" });

/** Any double, NaN and ±Infinity included (z.number() refuses those; metrics keep them faithfully). */
const ZDouble = z.custom<number>((v) => typeof v === "number", { error: "must be a number" });

/** A double, or MLflow's JSON spellings of the non-finite ones. */
export const ZMetricValue = z.union(
  [
    ZDouble,
    z.enum(["NaN", "Infinity", "-Infinity", "inf", "-inf", "nan"]).transform((s) => (s.toLowerCase() === "nan" ? Number.NaN : s.startsWith("-") ? -Infinity : Infinity)),
  ],
  { error: "value must be a number (or NaN, Infinity, -Infinity)" },
);

/** int64 fields may arrive as numbers or decimal strings. */
export const ZInt64 = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)], { error: "must be an integer" });

export const ZMetricInput = z.object({
  key: ZTrackingKey,
  value: ZMetricValue,
  timestamp: ZInt64,
  step: ZInt64.default(0),
});
export type MetricInput = z.output<typeof ZMetricInput>;

export const ZParamInput = z.object({
  key: ZTrackingKey,
  value: z.string({ error: "param value must be a string" }).max(trackingLimits.paramValueLength, { error: `param value must be at most ${trackingLimits.paramValueLength} characters` }),
});
export type ParamInput = z.output<typeof ZParamInput>;

export const ZTagInput = z.object({
  key: ZTrackingKey,
  value: z.string({ error: "tag value must be a string" }).max(trackingLimits.tagValueLength, { error: `tag value must be at most ${trackingLimits.tagValueLength} characters` }),
});
export type TagInput = z.output<typeof ZTagInput>;

export const ZLogBatchInput = z
  .object({
    metrics: z.array(ZMetricInput).max(trackingLimits.batchMetrics, { error: `at most ${trackingLimits.batchMetrics} metrics per batch` }).default([]),
    params: z.array(ZParamInput).max(trackingLimits.batchParams, { error: `at most ${trackingLimits.batchParams} params per batch` }).default([]),
    tags: z.array(ZTagInput).max(trackingLimits.batchTags, { error: `at most ${trackingLimits.batchTags} tags per batch` }).default([]),
  })
  .refine((b) => b.metrics.length + b.params.length + b.tags.length <= trackingLimits.batchTotal, {
    error: `at most ${trackingLimits.batchTotal} metrics, params and tags in all per batch`,
  })
  .refine((b) => new Set(b.params.map((p) => p.key)).size === b.params.length, { error: "a batch may not log the same param key twice", path: ["params"] });
export type LogBatchInput = z.input<typeof ZLogBatchInput>;

export const ZExperimentName = z
  .string({ error: "name must be a string" })
  .trim()
  .min(1, { error: "name must not be empty" })
  .max(trackingLimits.experimentNameLength, { error: `name must be at most ${trackingLimits.experimentNameLength} characters` });

export const ZCreateExperimentInput = z.object({
  name: ZExperimentName,
  description: z.string().max(20_000).optional(),
  artifactLocation: z.string().max(1000).optional(),
  tags: z.array(ZTagInput).max(100).default([]),
});
export type CreateExperimentInput = z.input<typeof ZCreateExperimentInput>;

export const ZRunStatus = z.enum(runStatuses, { error: `status must be one of ${runStatuses.join(", ")}` });

export const ZCreateRunInput = z.object({
  experimentId: z.string().min(1, { error: "experiment_id is required" }),
  name: z.string().max(250).optional(),
  startTime: ZInt64.optional(),
  userId: z.string().max(250).optional(),
  tags: z.array(ZTagInput).max(trackingLimits.batchTags).default([]),
  parentRunId: z.string().optional(),
  source: z.string().max(100).optional(),
});
export type CreateRunInput = z.input<typeof ZCreateRunInput>;

export const ZUpdateRunInput = z.object({
  status: ZRunStatus.optional(),
  endTime: ZInt64.optional(),
  name: z.string().max(250).optional(),
});
export type UpdateRunInput = z.input<typeof ZUpdateRunInput>;

export const viewTypes = ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"] as const;
export const ZViewType = z.enum(viewTypes, { error: `view_type must be one of ${viewTypes.join(", ")}` });
export type ViewType = z.infer<typeof ZViewType>;

/* What services return (camelCase; the MLflow layer renames for the wire). */

const ZKeyValue = z.object({ key: z.string(), value: z.string() });

export const ZExperiment = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  artifactLocation: z.string(),
  lifecycleStage: z.enum(["active", "deleted"]),
  creationTime: z.number(),
  lastUpdateTime: z.number(),
  tags: z.array(ZKeyValue),
});
export type Experiment = z.infer<typeof ZExperiment>;

export const ZRunInfo = z.object({
  id: z.string(),
  name: z.string(),
  experimentId: z.string(),
  userId: z.string().nullable(),
  status: ZRunStatus,
  startTime: z.number(),
  endTime: z.number().nullable(),
  artifactUri: z.string(),
  lifecycleStage: z.enum(["active", "deleted"]),
  parentRunId: z.string().nullable(),
  source: z.string().nullable(),
});
export type RunInfo = z.infer<typeof ZRunInfo>;

export const ZMetric = z.object({ key: z.string(), value: ZDouble, timestamp: z.number(), step: z.number() });
export type Metric = z.infer<typeof ZMetric>;

export const ZRun = z.object({
  info: ZRunInfo,
  data: z.object({ metrics: z.array(ZMetric), params: z.array(ZKeyValue), tags: z.array(ZKeyValue) }),
  inputs: z.object({
    datasetInputs: z.array(
      z.object({
        tags: z.array(ZKeyValue),
        dataset: z.object({ name: z.string(), digest: z.string(), sourceType: z.string(), source: z.string(), schema: z.string().nullable(), profile: z.string().nullable() }),
      }),
    ),
  }),
});
export type Run = z.infer<typeof ZRun>;

/* tRPC inputs (the portal and the typed client). */

export const ZSearchRunsInput = z.object({
  experimentIds: z.array(z.string()).min(1, { error: "choose at least one experiment" }).max(100),
  filter: z.string().max(10_000).optional(),
  orderBy: z.array(z.string().max(500)).max(10).default([]),
  maxResults: z.number().int().min(1).max(trackingLimits.searchRunsMax).default(100),
  pageToken: z.string().max(10_000).optional(),
  viewType: ZViewType.default("ACTIVE_ONLY"),
});
export type SearchRunsInput = z.input<typeof ZSearchRunsInput>;

export const ZSearchExperimentsInput = z.object({
  filter: z.string().max(10_000).optional(),
  orderBy: z.array(z.string().max(500)).max(10).default([]),
  maxResults: z.number().int().min(1).max(1000).default(100),
  pageToken: z.string().max(10_000).optional(),
  viewType: ZViewType.default("ACTIVE_ONLY"),
});

export const ZRunIdInput = z.object({ runId: z.string().min(1, { error: "runId is required" }) });
export const ZExperimentIdInput = z.object({ experimentId: z.string().min(1, { error: "experimentId is required" }) });

export const ZMetricChartInput = z.object({
  runId: z.string().min(1),
  key: ZTrackingKey,
  points: z.number().int().min(10).max(5000).default(1000),
  startStep: z.number().int().optional(),
  endStep: z.number().int().optional(),
});
export const ZMetricChart = z.object({ points: z.array(ZMetric), downsampled: z.boolean(), total: z.number() });
