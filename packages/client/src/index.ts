export { createGantryClient, GantryApiError, toGantryApiError, type GantryClient, type GantryClientOptions } from "./client";
export { loadConfig, saveConfig, configPath, type CliConfig } from "./cli/config";
export { RunHandle, type RunHandleOptions, type StartRunOptions, type RunStatus } from "./runs";
export { isFinished, type JobsClient, type WaitOptions } from "./jobs";
export type { DatasetsClient, DatasetSource, DatasetUploadOptions, DatasetUploadResponse } from "./datasets";
export type { SweepsClient, SweepWaitOptions } from "./sweeps";
export type { SchedulesClient } from "./schedules";
export type { ModelsClient } from "./models";
export type { EndpointsClient } from "./endpoints";
