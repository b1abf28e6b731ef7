import type { ColumnType, TrainingSpec, TrainingTask } from "@gantry/schema";

/*
 * The contract between the training code (this package) and its callers (the worker's job
 * runner, the seed, the benchmark, the serving path). Pure data: no database, no files.
 */

/** A raw cell as the dataset reader types it: numbers (datetime as epoch ms), booleans, strings; null when missing. */
export type Cell = number | boolean | string | null;
export type Row = Record<string, Cell>;
export type ColumnSchema = { name: string; type: ColumnType };

/** A dataset version in memory, cells typed by `columns`. */
export type Table = { columns: ColumnSchema[]; rows: Row[] };

export type EpochReport = {
  /** 1-based. */
  epoch: number;
  epochs: number;
  /** `loss`, `val_loss`, and per task `accuracy`/`val_accuracy` or `rmse`/`val_rmse`, … */
  metrics: Record<string, number>;
  /** Since training began (cumulative, not this epoch alone). */
  elapsedMs: number;
};

export type TrainOptions = {
  spec: TrainingSpec;
  table: Table;
  /** Called after every epoch; awaited, so a caller may log and persist before training goes on. */
  onEpoch?: (report: EpochReport) => void | Promise<void>;
  /** Checked before every batch; true stops training at that batch (the result says `cancelled`). */
  shouldStop?: () => boolean;
  log?: (message: string) => void;
};

/** The model signature: the raw input columns a pipeline takes, and what it answers. */
export type Signature = {
  inputs: { name: string; type: ColumnType; required: boolean; categories?: string[] }[];
  task: TrainingTask;
  target: string;
  /** Classification: the class labels, in output order. */
  labels?: string[];
};

/** What one row's prediction looks like. */
export type Prediction =
  | { label: string; probabilities: Record<string, number> } // classification
  | { value: number }; // regression

/**
 * A distribution summary monitoring compares production traffic with. `count` counts present
 * values, `missing` the absent ones; quantiles are p01 p05 p10 p25 p50 p75 p90 p95 p99; the
 * histogram has 10 equal-width bins over [min, max]; frequencies are counts per value (the 100
 * most frequent, the rest summed under "__other__").
 */
export type DistributionProfile =
  | { kind: "numeric"; count: number; missing: number; mean: number; std: number; quantiles: Record<string, number>; histogram: { edges: number[]; counts: number[] } }
  | { kind: "categorical"; count: number; missing: number; frequencies: Record<string, number> };

export type ReferenceProfile = {
  /** Rows of the holdout (test split) it was computed on. */
  rows: number;
  features: Record<string, DistributionProfile>;
  /** Classification: the predicted-label distribution and the positive-class score (binary); regression: the predicted value. */
  predictions: Record<string, DistributionProfile>;
};

export type TrainResult = {
  status: "completed" | "cancelled";
  task: TrainingTask;
  backend: string;
  /** Flat string params for the run (spec fields, split sizes, feature count, backend). */
  params: Record<string, string>;
  history: EpochReport[];
  /** Epoch whose weights the model keeps (early stopping with restoreBest). */
  bestEpoch: number;
  /** Final metrics on the test split, prefixed `test_` (test_accuracy, test_roc_auc, test_rmse, …). */
  testMetrics: Record<string, number>;
  /** Classification extras on the test split. */
  confusionMatrix?: { labels: string[]; matrix: number[][] };
  rocCurve?: { fpr: number[]; tpr: number[]; thresholds: number[] };
  splitSizes: { train: number; validation: number; test: number };
  /** The whole pipeline (preprocessing + network + signature), serialised: one artifact. */
  pipeline: Uint8Array;
  signature: Signature;
  reference: ReferenceProfile;
  /** The first test rows (raw) and the pipeline's predictions for them, to check a reload predicts the same. */
  sample: { rows: Row[]; predictions: Prediction[] };
};
