import type { IncomingMessage } from "node:http";

import type { ArtifactStore } from "@gantry/api/artifacts";
import type { createMinuteStatsRecorder, createPredictionLogWriter } from "@gantry/api/serving";
import type { Database } from "@gantry/db";

import type { Access, Purpose } from "./access";
import type { DeploymentCache } from "./deployments";
import type { KeyCache } from "./key-cache";
import type { ServeMetrics } from "./metrics";
import type { ModelCache } from "./model-cache";
import type { ArmCounts } from "./policy";
import type { ShadowPredictor } from "./shadow";

export type ServeOptions = {
  db: Database;
  /** A postgres URL for the LISTEN connection (deployment changes); without it, polling alone. */
  url?: string;
  store: ArtifactStore;
  host: string;
  port: number;
  role: string;
  maxBodyBytes: number;
  modelCacheSize: number;
  keyTtlMs: number;
  keyStaleMs: number;
  pollMs: number;
  logMaxRows: number;
  /** How often a bandit endpoint's feedback counts are re-read (default 5 s). */
  banditRefreshMs?: number;
  /** Predict in a worker thread (another core) rather than on the event loop that answers (default true). */
  predictInThread?: boolean;
  /** Daily prediction log partitions older than this many days are dropped. */
  retentionDays: number;
  log?: (message: string) => void;
};

/** What every request handler shares. */
export type ServeState = {
  options: ServeOptions;
  keys: KeyCache;
  deployments: DeploymentCache;
  models: ModelCache;
  predictionLog: ReturnType<typeof createPredictionLogWriter>;
  stats: ReturnType<typeof createMinuteStatsRecorder>;
  metrics: ServeMetrics;
  authorize(request: IncomingMessage, orgSlug: string, name: string, purpose?: Purpose): Promise<Access>;
  say(message: string): void;
  /** Shadow predictions, in a worker thread. */
  shadow: ShadowPredictor;
  /** Feedback counts of a bandit endpoint's arms (refreshed in the background). */
  banditArms: ArmCounts;
};
