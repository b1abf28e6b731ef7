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
export { twoProportionZTest, type ConversionCounts, type TwoProportionZTestInput, type TwoProportionZTestResult } from "./stats/proportions";
export { meanSummaryFromSums, welchTTest, type MeanSummary, type WelchTTestInput, type WelchTTestResult } from "./stats/means";
export type { Effect } from "./stats/effects";
export { sampleRatioMismatch, type SampleRatioMismatchInput, type SampleRatioMismatchResult } from "./stats/srm";
export {
  defaultTuningSampleSize,
  mixtureRho2,
  msprtPValue,
  sequentialPValues,
  type MsprtLook,
  type MsprtOptions,
  type MsprtResult,
  type SequentialLookResult,
} from "./stats/sequential";
export { meansLook, proportionsLook } from "./stats/looks";
export { sampleSizeForMeans, sampleSizeForProportions, type SampleSizeForMeansInput, type SampleSizeForProportionsInput } from "./stats/sample-size";
export { abVerdict, type AbDecision, type AbVerdict, type AbVerdictInput } from "./stats/verdict";
export { epsilonGreedy, thompsonSample, type BanditArm } from "./stats/bandits";
export { assignVariant, bucketOf, fnv1a32, pickByWeight } from "./stats/assignment";
export { holdoutRows, scorePipeline } from "./training/holdout";
