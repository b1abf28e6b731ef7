export { ensureBackend, selectBackend, tf, type BackendChoice, type BackendName } from "./backend";

export { trainPipeline } from "./training/train-pipeline";
export { loadPipeline, readPipelineDocument, type LoadedPipeline } from "./training/serialize";
export { wrapTfjsModel } from "./training/wrap";
export { inferTask } from "./training/task";
export { profileDistribution } from "./profile/distribution";
export { evaluateClassification, evaluateRegression } from "./metrics/evaluate";
export type {
  Cell,
  ColumnSchema,
  DistributionProfile,
  EpochReport,
  Prediction,
  ReferenceProfile,
  Row,
  Signature,
  Table,
  TrainOptions,
  TrainResult,
} from "./training/types";
export { cellToCategory, cellToNumber, isMissing } from "./training/cells";
export { holdoutRows, scorePipeline } from "./training/holdout";
// The A/B statistics (also importable alone, without TensorFlow.js, as @gantry/ml/stats).
export * from "./stats";
