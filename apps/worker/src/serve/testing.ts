import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { createFsArtifactStore } from "@gantry/api/artifacts";
import type { OrgContext } from "@gantry/api/jobs";
import { createEndpoint, deploy } from "@gantry/api/serving";
import type { OrgFixture } from "@gantry/api/testing";
import { createOrgFixture, fixtureContext, registerTrainedVersion, startApiServer } from "@gantry/api/testing";
import { runCli } from "@gantry/client/cli/run";
import type { Database } from "@gantry/db";
import type { Row, TrainResult } from "@gantry/ml";
import { selectBackend, trainPipeline } from "@gantry/ml";
import { binaryTable, specFor } from "@gantry/ml/testing";

import type { ServeOptions, ServeServer } from "./server";
import { startServeServer } from "./server";

/*
 * What the serving tests share: an org with two trained versions of `scorer` (different
 * networks, so their answers differ), an endpoint serving v1, another org, and a server.
 */

export type ServeFixture = {
  org: OrgFixture;
  other: OrgFixture;
  ctx: OrgContext;
  store: ReturnType<typeof createFsArtifactStore>;
  trained: [TrainResult, TrainResult];
  /** The sample rows of a trained version, restricted to the signature's inputs. */
  rows(result: TrainResult): Row[];
};

export async function createServeFixture(db: Database, slug: string): Promise<ServeFixture> {
  await selectBackend();
  const org = await createOrgFixture(db, slug);
  const other = await createOrgFixture(db, `${slug}-other`);
  const ctx = fixtureContext(db, org);
  const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), `gantry-${slug}-`)));
  const table = binaryTable(240);
  const trained: [TrainResult, TrainResult] = [
    await trainPipeline({ spec: specFor({ target: "label", epochs: 3, batchSize: 64, learningRate: 0.01, model: { hiddenLayers: [8] } }), table }),
    await trainPipeline({ spec: specFor({ target: "label", epochs: 2, batchSize: 32, learningRate: 0.02, model: { hiddenLayers: [4] } }), table }),
  ];
  for (const result of trained) await registerTrainedVersion(ctx, store, { experimentId: org.experiment.id, name: "scorer", trained: result });
  await createEndpoint(ctx, { name: "scorer-api", description: "test endpoint" });
  await deploy(ctx, "scorer-api", { model: "models:/scorer/1" });
  const rows = (result: TrainResult) => {
    const names = result.signature.inputs.map((i) => i.name);
    return result.sample.rows.map((row) => Object.fromEntries(names.filter((n) => n in row).map((n) => [n, row[n] ?? null])));
  };
  return { org, other, ctx, store, trained, rows };
}

export function serveOptions(db: Database, store: ServeOptions["store"], over: Partial<ServeOptions> = {}): ServeOptions {
  return {
    db,
    store,
    host: "127.0.0.1",
    port: 0,
    role: "serve",
    maxBodyBytes: 1024 * 1024,
    modelCacheSize: 4,
    keyTtlMs: 200,
    keyStaleMs: 60_000,
    pollMs: 300,
    logMaxRows: 50_000,
    retentionDays: 30,
    log: () => undefined,
    ...over,
  };
}

export async function startTestServer(db: Database, store: ServeOptions["store"], over: Partial<ServeOptions> = {}): Promise<ServeServer & { base: string }> {
  const server = await startServeServer(serveOptions(db, store, over));
  return { ...server, base: `http://127.0.0.1:${server.port}` };
}

/**
 * The serving port and the API server side by side (the API names the serving port to clients),
 * with a CLI environment logged in with the org's all-scopes key: what the CLI tests drive.
 */
export async function startCliStack(tdb: { db: Database; sql: Parameters<typeof startApiServer>[1]; url: string }, f: ServeFixture) {
  const serve = await startTestServer(tdb.db, f.store, { url: tdb.url });
  const api = await startApiServer(tdb.db, tdb.sql, { servingUrl: serve.base });
  const env: NodeJS.ProcessEnv = { GANTRY_CONFIG_DIR: await mkdtemp(path.join(tmpdir(), "gantry-cli-")), GANTRY_URL: api.url, GANTRY_API_KEY: f.org.keys.all.secret };
  return {
    serve,
    api,
    env,
    gantry: (args: string[]) => runCli(args, env),
    close: async () => {
      await serve.close();
      await api.close();
    },
  };
}
