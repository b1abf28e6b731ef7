export { ensureBackend, selectBackend, tf, type BackendChoice, type BackendName } from "./backend";

export { trainPipeline } from "./training/train-pipeline";
export { loadPipeline, type LoadedPipeline } from "./training/serialize";
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
