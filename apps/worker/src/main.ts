import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import path from "node:path";

import { createArtifactStore } from "@gantry/api/artifacts";
import { TRAINING_MAX_CELLS } from "@gantry/api/jobs";
import { createDatabase } from "@gantry/db";
import { migrate } from "@gantry/db/migrate";
import { selectBackend } from "@gantry/ml";

import type { WorkerRole } from "./env";
import { loadEnv, workerRoles } from "./env";
import { startJobs } from "./jobs";
import { startServeServer } from "./serve/server";
import { createTableCache } from "./training/table-cache";

const log = (message: string) => console.log(`[worker] ${message}`);

/** `gantry-worker [all|jobs|serve]`: the argument wins over GANTRY_WORKER_ROLE. */
async function main() {
  const env = loadEnv();
  const arg = process.argv[2];
  if (arg && !workerRoles.includes(arg as WorkerRole)) throw new Error(`Unknown worker role "${arg}"; use one of ${workerRoles.join(", ")}`);
  const role = (arg as WorkerRole | undefined) ?? env.GANTRY_WORKER_ROLE;

  await migrate(env.DATABASE_URL);
  const { db, close: closeDb } = createDatabase({ url: env.DATABASE_URL, max: env.GANTRY_DB_POOL_SIZE, applicationName: `gantry-worker-${role}` });

  const stops: (() => Promise<unknown>)[] = [];
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    const force = setTimeout(() => {
      log("shutdown timed out; exiting");
      process.exit(1);
    }, env.GANTRY_SHUTDOWN_TIMEOUT_MS + 5_000);
    force.unref();
    for (const stop of stops) await stop().catch((error: unknown) => log(`shutdown step failed: ${String(error)}`));
    await closeDb();
    log("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  // Training and serving both run TensorFlow.js: pick the fastest backend this machine can load, and say which.
  const backend = await selectBackend();
  log(`tensorflow.js backend: ${backend.name}${backend.tried.length ? ` (skipped ${backend.tried.map((t) => `${t.name}: ${t.error}`).join("; ")})` : ""}`);
  const store = createArtifactStore({
      root: path.resolve(env.GANTRY_ARTIFACT_DIR),
      bucket: env.GANTRY_S3_BUCKET,
      prefix: env.GANTRY_S3_PREFIX,
      region: env.GANTRY_S3_REGION,
      endpoint: env.GANTRY_S3_ENDPOINT,
      forcePathStyle: env.GANTRY_S3_FORCE_PATH_STYLE === "true",
  });
  if (role === "all" || role === "jobs") {
    // What a crash mid-put left behind (temp files older than an hour: never an upload in flight).
    await store.cleanup().catch((error: unknown) => log(`artifact temp cleanup failed: ${String(error)}`));
    const training = {
      store,
      workerId: `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`,
      staleMs: env.GANTRY_JOB_STALE_MS,
      heartbeatMs: env.GANTRY_JOB_HEARTBEAT_MS,
      maxAttempts: env.GANTRY_JOB_MAX_ATTEMPTS,
      concurrency: env.GANTRY_TRAIN_CONCURRENCY,
      backend: backend.name,
      tables: createTableCache(TRAINING_MAX_CELLS),
    };
    const jobs = await startJobs({ db, url: env.DATABASE_URL, log, training });
    stops.push(() => jobs.stop(env.GANTRY_SHUTDOWN_TIMEOUT_MS));
    log("jobs: pg-boss started");
  }
  if (role === "all" || role === "serve") {
    const serve = await startServeServer({
      db,
      url: env.DATABASE_URL,
      store,
      host: env.GANTRY_SERVE_HOST,
      port: env.GANTRY_SERVE_PORT,
      role,
      maxBodyBytes: env.GANTRY_SERVE_MAX_BODY_BYTES,
      modelCacheSize: env.GANTRY_SERVE_MODEL_CACHE,
      keyTtlMs: env.GANTRY_SERVE_KEY_TTL_MS,
      keyStaleMs: env.GANTRY_SERVE_KEY_STALE_MS,
      pollMs: env.GANTRY_SERVE_POLL_MS,
      logMaxRows: env.GANTRY_PREDICTION_LOG_MAX_ROWS,
      retentionDays: env.GANTRY_PREDICTION_RETENTION_DAYS,
      log: (m) => log(`serve: ${m}`),
    });
    // The HTTP server stops first so no new work arrives while the rest drains (the prediction log last).
    stops.unshift(() => serve.close(env.GANTRY_SHUTDOWN_TIMEOUT_MS));
    log(`serve: listening on http://${env.GANTRY_SERVE_HOST}:${serve.port}`);
  }
  // Signal handlers are in place before this line: a supervisor may stop us as soon as it reads it.
  log(`ready (role ${role}, pid ${process.pid})`);
}

main().catch((error: unknown) => {
  console.error(`[worker] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
