/* Drift statistics for model monitoring (spec §4): pure functions, no I/O. */
export { ksTwoSample, type KsTwoSampleResult } from "./ks-two-sample";
export { kolmogorovSurvival, smirnovSurvival } from "./kolmogorov";
export { chiSquareDrift, zTestProportions, type DriftTestResult } from "./categorical-tests";
export { populationStd, wassersteinDistance, wassersteinFromHistograms, wassersteinNormed } from "./wasserstein";
export {
  binnedShares,
  fillEmptyShares,
  histogramCounts,
  sturgesBinEdges,
  type BinnedShares,
  type BinnedSharesOptions,
} from "./binning";
export { jensenShannonDistance, psi, psiDrift, PSI_THRESHOLD, type PsiDriftResult } from "./divergences";
export {
  chooseDriftTest,
  columnDrift,
  datasetDrift,
  DISTANCE_THRESHOLD,
  P_VALUE_THRESHOLD,
  type ChooseDriftTestInput,
  type ColumnDriftResult,
  type DatasetDriftResult,
  type DriftTestName,
} from "./column-drift";
export { cbpeEstimate, estimateRocAuc, type CbpeEstimate, type CbpeInput, type ExpectedConfusionMatrix } from "./cbpe";
export type { DriftCell, DriftColumnType, DriftValue } from "./column-values";
