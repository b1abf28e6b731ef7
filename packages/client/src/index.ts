export { createGantryClient, GantryApiError, toGantryApiError, type GantryClient, type GantryClientOptions } from "./client";
export { loadConfig, saveConfig, configPath, type CliConfig } from "./cli/config";
export { RunHandle, type RunHandleOptions, type StartRunOptions, type RunStatus } from "./runs";
