import type { Server } from "node:http";
import { createServer } from "node:http";

import { createMinuteStatsRecorder, createPredictionLogWriter, dropExpiredPredictionPartitions, ensurePredictionPartitions, ENDPOINTS_CHANNEL } from "@gantry/api/serving";
import { sql } from "@gantry/db";
import postgres from "postgres";

import { authorize } from "./access";
import { createBanditArms } from "./bandit-arms";
import { createShadowPredictor } from "./shadow";
import { createThreadPredictor } from "./thread-predictor";
import { createDeploymentCache } from "./deployments";
import { errorAnswer, sendJson } from "./http-io";
import { createKeyCache } from "./key-cache";
import { createServeMetrics } from "./metrics";
import { createModelCache } from "./model-cache";
import { handleOrgRoute } from "./routes";
import type { ServeOptions, ServeState } from "./state";

export type { ServeOptions } from "./state";

export type ServeServer = { server: Server; port: number; state: ServeState; close: (timeoutMs?: number) => Promise<{ unwritten: number }> };

/**
 * The serving role's HTTP server: per-org model endpoints (no Next.js on the prediction path),
 * `/healthz` and `/metrics`. Deployments arrive by LISTEN/NOTIFY with polling as the fallback;
 * models of the most recently deployed endpoints are loaded before the port opens.
 */
export async function startServeServer(options: ServeOptions): Promise<ServeServer> {
  const say = options.log ?? ((m: string) => console.log(`[serve] ${m}`));
  const { db } = options;
  const thread = options.predictInThread === false ? undefined : createThreadPredictor({ log: say, name: "predict" });
  const models = createModelCache({ store: options.store, capacity: options.modelCacheSize, log: say, thread });
  const deployments = createDeploymentCache({ db, models, log: say });
  const keys = createKeyCache({ db, ttlMs: options.keyTtlMs, staleMs: options.keyStaleMs, log: say });
  const predictionLog = createPredictionLogWriter({ db, maxRows: options.logMaxRows, log: (_level, message) => say(`prediction log: ${message}`) });
  const stats = createMinuteStatsRecorder({ db });
  const metrics = createServeMetrics({ pending: () => predictionLog.pending(), models: () => models.size(), deployments: () => deployments.entries().length });
  const state: ServeState = {
    options,
    keys,
    deployments,
    models,
    predictionLog,
    stats,
    metrics,
    authorize: (request, orgSlug, name, purpose) => authorize(request, { orgSlug, name, keys, deployments, purpose }),
    say,
    shadow: createShadowPredictor({ store: options.store, log: say }),
    banditArms: createBanditArms({ db, refreshMs: options.banditRefreshMs ?? 5_000, log: say }),
  };

  const warmed = await deployments.warm(options.modelCacheSize).catch((error: unknown) => {
    say(`warming failed: ${String(error)}`);
    return 0;
  });
  if (warmed) say(`warmed ${warmed} endpoint(s), ${models.size()} model(s) loaded`);

  // Deployment changes: NOTIFY from the services; every (re)connect polls for what it missed.
  const listener = options.url ? postgres(options.url, { max: 1, onnotice: () => undefined, connection: { application_name: "gantry-serve-listen" } }) : null;
  if (listener) {
    await listener
      .listen(ENDPOINTS_CHANNEL, (endpointId) => void deployments.changed(endpointId), () => void deployments.poll().catch(() => undefined))
      .catch((error: unknown) => say(`LISTEN failed, polling only: ${String(error)}`));
  }
  // Daily prediction log partitions: today's and the next two exist ahead of the writes; those past the retention go.
  const maintain = async () => {
    await ensurePredictionPartitions(db, { from: new Date(), days: 3 });
    const dropped = await dropExpiredPredictionPartitions(db, { retentionDays: options.retentionDays });
    if (dropped.length) say(`prediction log retention (${options.retentionDays} days): dropped ${dropped.join(", ")}`);
  };
  await maintain().catch((error: unknown) => say(`prediction log maintenance failed: ${String(error)}`));
  const maintenance = setInterval(() => void maintain().catch((error: unknown) => say(`prediction log maintenance failed: ${String(error)}`)), 60 * 60_000);
  maintenance.unref();

  let polling = false;
  const poller = setInterval(() => {
    if (polling) return;
    polling = true;
    deployments
      .poll()
      .catch(() => undefined) // the database is away: keep serving what is cached
      .finally(() => (polling = false));
  }, options.pollMs);
  poller.unref();

  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?", 1)[0] ?? "/";
    const done = (error: unknown) => {
      const answer = errorAnswer(error);
      if (answer.status >= 500) say(`${request.method} ${path} failed: ${String(error)}`);
      if (!response.headersSent) sendJson(response, answer.status, JSON.stringify({ error: answer.message }), answer.headers);
    };
    if (path === "/healthz" && request.method === "GET") {
      db.execute(sql`select 1`).then(
        () => sendJson(response, 200, JSON.stringify({ status: "ok", role: options.role, database: "ok" })),
        (error: unknown) => sendJson(response, 503, JSON.stringify({ status: "error", role: options.role, database: String(error) })),
      );
      return;
    }
    if (path === "/metrics" && request.method === "GET") {
      metrics.registry.metrics().then((text) => {
        response.writeHead(200, { "content-type": metrics.registry.contentType });
        response.end(text);
      }, done);
      return;
    }
    handleOrgRoute(state, request, response, path).then((handled) => {
      if (!handled) sendJson(response, 404, JSON.stringify({ error: `No route for ${request.method} ${path}` }));
    }, done);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;

  return {
    server,
    port,
    state,
    async close(timeoutMs = 10_000) {
      clearInterval(poller);
      clearInterval(maintenance);
      // No new requests; those in flight finish (their log rows are appended before they end).
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await listener?.end({ timeout: 2 }).catch(() => undefined);
      const result = await predictionLog.close(timeoutMs);
      await stats.close().catch((error: unknown) => say(`minute stats not written: ${String(error)}`));
      models.clear();
      await state.shadow.close();
      await thread?.close();
      if (result.unwritten) say(`shutdown: ${result.unwritten} prediction log row(s) could not be written`);
      return result;
    },
  };
}
