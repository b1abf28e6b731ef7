export { createEndpoint, listEndpoints, getEndpoint, updateEndpoint, deleteEndpoint, pauseEndpoint, resumeEndpoint } from "./endpoints";
export { deploy, rollback, redeployFollowers } from "./deploy";
export { versionsServedBy, endpointsServingVersion, assertNotServed, type ServingEndpoint } from "./served";
export { ENDPOINTS_CHANNEL } from "./lookup";
export { servingDeploymentByName, servingDeploymentById, changedEndpoints, activeServingDeployments, type ServingDeployment, type ServingVariant } from "./serving-state";
export {
  createPredictionLogWriter,
  ensurePredictionPartitions,
  dropExpiredPredictionPartitions,
  predictionPartitionName,
  type PredictionLogRow,
  type PredictionLogWriter,
  type PredictionLogWriterOptions,
} from "./prediction-log";
export { createMinuteStatsRecorder, endpointTraffic, histogramQuantile, latencyBucket, type MinuteStatsRecorder } from "./minute-stats";
export { recordFeedback } from "./feedback";
export { tryPredict, tryItCurl, type ServingConfig } from "./try-it";
