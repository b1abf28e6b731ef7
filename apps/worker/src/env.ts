import { z } from "zod";

export const workerRoles = ["all", "jobs", "serve"] as const;
export type WorkerRole = (typeof workerRoles)[number];

/** The worker's settings: the one place in the worker that reads process.env. */
const ZEnv = z.object({
  DATABASE_URL: z.url({ error: "DATABASE_URL must be a postgres:// URL (pnpm start sets it for the embedded database)" }),
  GANTRY_WORKER_ROLE: z.enum(workerRoles, { error: `GANTRY_WORKER_ROLE must be one of ${workerRoles.join(", ")}` }).default("all"),
  GANTRY_SERVE_PORT: z.coerce.number({ error: "GANTRY_SERVE_PORT must be a port number" }).int().min(0).max(65535).default(3100),
  GANTRY_SERVE_HOST: z.string().default("0.0.0.0"),
  /** A prediction body past this many bytes is refused with 413. */
  GANTRY_SERVE_MAX_BODY_BYTES: z.coerce.number({ error: "GANTRY_SERVE_MAX_BODY_BYTES must be a number of bytes" }).int().min(1_024).default(8 * 1024 * 1024),
  /** Model versions kept loaded per serving process (least recently used out). */
  GANTRY_SERVE_MODEL_CACHE: z.coerce.number({ error: "GANTRY_SERVE_MODEL_CACHE must be a number" }).int().min(1).max(1_000).default(16),
  /** How long an API-key check is trusted: a revoked key stops working within this time. */
  GANTRY_SERVE_KEY_TTL_MS: z.coerce.number({ error: "GANTRY_SERVE_KEY_TTL_MS must be a number of milliseconds" }).int().min(0).max(60_000).default(5_000),
  /** While the database is unreachable, keys valid at their last check keep working this long. */
  GANTRY_SERVE_KEY_STALE_MS: z.coerce.number({ error: "GANTRY_SERVE_KEY_STALE_MS must be a number of milliseconds" }).int().min(0).default(10 * 60_000),
  /** Fallback to LISTEN/NOTIFY: how often cached deployments are compared with the database. */
  GANTRY_SERVE_POLL_MS: z.coerce.number({ error: "GANTRY_SERVE_POLL_MS must be a number of milliseconds" }).int().min(100).default(5_000),
  /** Prediction log rows held in memory before predictions are refused with 429 (the log is never dropped). */
  GANTRY_PREDICTION_LOG_MAX_ROWS: z.coerce.number({ error: "GANTRY_PREDICTION_LOG_MAX_ROWS must be a number" }).int().min(100).default(200_000),
  /** Daily prediction log partitions older than this are dropped. */
  GANTRY_PREDICTION_RETENTION_DAYS: z.coerce.number({ error: "GANTRY_PREDICTION_RETENTION_DAYS must be a number of days" }).int().min(1).default(30),
  GANTRY_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  GANTRY_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
  /** Artifacts: the same store as the web app's (S3 when a bucket is set, else this directory). */
  GANTRY_ARTIFACT_DIR: z.string().min(1).default("./.gantry/artifacts"),
  GANTRY_S3_BUCKET: z.string().min(1).optional(),
  GANTRY_S3_PREFIX: z.string().optional(),
  GANTRY_S3_REGION: z.string().optional(),
  GANTRY_S3_ENDPOINT: z.url().optional(),
  GANTRY_S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).optional(),
  /** A running job whose heartbeat is older than this lost its worker: it is re-queued and retaken. */
  GANTRY_JOB_STALE_MS: z.coerce.number({ error: "GANTRY_JOB_STALE_MS must be a number of milliseconds" }).int().min(1_000).default(30_000),
  GANTRY_JOB_HEARTBEAT_MS: z.coerce.number({ error: "GANTRY_JOB_HEARTBEAT_MS must be a number of milliseconds" }).int().min(100).default(2_000),
  /** A job whose worker died this many times is failed rather than retaken again. */
  GANTRY_JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(3),
  /** Training jobs one worker runs at a time (training is CPU-bound: one per core at most). */
  GANTRY_TRAIN_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
}).refine((e) => e.GANTRY_JOB_HEARTBEAT_MS * 2 <= e.GANTRY_JOB_STALE_MS, {
  error: "GANTRY_JOB_HEARTBEAT_MS must be at most half of GANTRY_JOB_STALE_MS (a live worker must never look stale)",
  path: ["GANTRY_JOB_HEARTBEAT_MS"],
});
export type WorkerEnv = z.infer<typeof ZEnv>;

export function loadEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  const parsed = ZEnv.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid settings for the worker:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
