/* The A/B statistics and assignment, without TensorFlow.js: what the API server (and the web bundle) may import. */
export { twoProportionZTest, type ConversionCounts, type TwoProportionZTestInput, type TwoProportionZTestResult } from "./proportions";
export { meanSummaryFromSums, welchTTest, type MeanSummary, type WelchTTestInput, type WelchTTestResult } from "./means";
export type { Effect } from "./effects";
export { sampleRatioMismatch, type SampleRatioMismatchInput, type SampleRatioMismatchResult } from "./srm";
export {
  defaultTuningSampleSize,
  mixtureRho2,
  msprtPValue,
  sequentialPValues,
  type MsprtLook,
  type MsprtOptions,
  type MsprtResult,
  type SequentialLookResult,
} from "./sequential";
export { meansLook, proportionsLook } from "./looks";
export { sampleSizeForMeans, sampleSizeForProportions, type SampleSizeForMeansInput, type SampleSizeForProportionsInput } from "./sample-size";
export { abVerdict, type AbDecision, type AbVerdict, type AbVerdictInput } from "./verdict";
export { epsilonGreedy, thompsonSample, type BanditArm } from "./bandits";
export { assignVariant, bucketOf, fnv1a32, pickByWeight } from "./assignment";
