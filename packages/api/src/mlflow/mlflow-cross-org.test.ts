import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import type { OrgFixture } from "../testing";
import { createFsArtifactStore } from "../artifacts";
import { registerVersionFromRun, setAlias } from "../registry";
import { bearer, createFakeModelRun, createOrgFixture, fixtureContext, startApiServer } from "../testing";
import { mlflowRouteKeys } from "./router";

const tdb = await createTestDatabase();
let server: Awaited<ReturnType<typeof startApiServer>>;
let a: OrgFixture;
let b: OrgFixture;
let modelId: string;
/** Org A's registered model (with a version from `modelRunId`, aliased champion). */
const REGISTERED = "secret-registered";
let modelRunId: string;

/** Each MLflow route aimed at org A's objects. `empty`: a search that must simply find nothing. */
type Case = { body?: (a: OrgFixture) => Record<string, unknown>; query?: (a: OrgFixture) => Record<string, string>; path?: (a: OrgFixture) => string; empty?: boolean };
const exp = (x: OrgFixture) => ({ experiment_id: x.experiment.id });
const run = (x: OrgFixture) => ({ run_id: x.run.info.id });
const reg = () => ({ name: REGISTERED });
const ver = () => ({ name: REGISTERED, version: "1" });
const cases: Record<string, Case> = {
  "POST experiments/create": { body: () => ({ name: "org B's own" }), empty: true },
  "GET experiments/get": { query: exp },
  "GET experiments/get-by-name": { query: (x) => ({ experiment_name: x.experiment.name }) },
  "POST experiments/search": { body: () => ({ view_type: "ALL" }), empty: true },
  "GET experiments/search": { query: () => ({ view_type: "ALL" }), empty: true },
  "GET experiments/list": { query: () => ({ view_type: "ALL" }), empty: true },
  "POST experiments/update": { body: (x) => ({ ...exp(x), new_name: "taken" }) },
  "POST experiments/delete": { body: exp },
  "POST experiments/restore": { body: exp },
  "POST experiments/set-experiment-tag": { body: (x) => ({ ...exp(x), key: "k", value: "v" }) },
  "POST experiments/delete-experiment-tag": { body: (x) => ({ ...exp(x), key: "k" }) },
  "POST runs/create": { body: exp },
  "POST runs/update": { body: (x) => ({ ...run(x), status: "KILLED" }) },
  "POST runs/delete": { body: run },
  "POST runs/restore": { body: run },
  "GET runs/get": { query: run },
  "POST runs/search": { body: (x) => ({ experiment_ids: [x.experiment.id], run_view_type: "ALL" }), empty: true },
  "POST runs/log-metric": { body: (x) => ({ ...run(x), key: "loss", value: 9, timestamp: 9 }) },
  "POST runs/log-parameter": { body: (x) => ({ ...run(x), key: "p", value: "v" }) },
  "POST runs/set-tag": { body: (x) => ({ ...run(x), key: "team", value: "pwned" }) },
  "POST runs/delete-tag": { body: (x) => ({ ...run(x), key: "team" }) },
  "POST runs/log-batch": { body: (x) => ({ ...run(x), metrics: [{ key: "loss", value: 9, timestamp: 9 }] }) },
  "POST runs/log-inputs": { body: (x) => ({ ...run(x), datasets: [{ dataset: { name: "d", digest: "1", source_type: "local", source: "x" } }] }) },
  "POST runs/log-model": { body: (x) => ({ ...run(x), model_json: "{}" }) },
  "POST runs/outputs": { body: (x) => ({ ...run(x), models: [] }) },
  "GET metrics/get-history": { query: (x) => ({ ...run(x), metric_key: "loss" }) },
  "GET metrics/get-history-bulk-interval": { query: (x) => ({ run_ids: x.run.info.id, metric_key: "loss" }) },
  "GET artifacts/list": { query: run },
  "POST logged-models": { body: exp },
  "POST logged-models/search": { body: (x) => ({ experiment_ids: [x.experiment.id] }), empty: true },
  "GET logged-models/{id}": { path: () => `logged-models/${modelId}` },
  "PATCH logged-models/{id}": { path: () => `logged-models/${modelId}`, body: () => ({ status: "LOGGED_MODEL_UPLOAD_FAILED" }) },
  "DELETE logged-models/{id}": { path: () => `logged-models/${modelId}` },
  "PATCH logged-models/{id}/tags": { path: () => `logged-models/${modelId}/tags`, body: () => ({ tags: [{ key: "k", value: "v" }] }) },
  "DELETE logged-models/{id}/tags/{key}": { path: () => `logged-models/${modelId}/tags/flavor` },
  "POST logged-models/{id}/params": { path: () => `logged-models/${modelId}/params`, body: () => ({ params: [{ key: "x", value: "1" }] }) },
  "GET logged-models/{id}/artifacts/directories": { path: () => `logged-models/${modelId}/artifacts/directories` },
  // B's own model under another name: naming A's would make the cases below find B's.
  "POST registered-models/create": { body: () => ({ name: "org-b-own" }), empty: true },
  "GET registered-models/get": { query: reg },
  "GET registered-models/search": { query: () => ({ filter: "name LIKE '%'" }), empty: true },
  "POST registered-models/rename": { body: () => ({ ...reg(), new_name: "stolen" }) },
  "PATCH registered-models/update": { body: () => ({ ...reg(), description: "pwned" }) },
  "DELETE registered-models/delete": { body: reg },
  "POST registered-models/set-tag": { body: () => ({ ...reg(), key: "k", value: "pwned" }) },
  "DELETE registered-models/delete-tag": { body: () => ({ ...reg(), key: "team" }) },
  "POST registered-models/get-latest-versions": { body: reg },
  "GET registered-models/get-latest-versions": { query: reg },
  "POST registered-models/alias": { body: () => ({ ...reg(), alias: "champion", version: "1" }) },
  "DELETE registered-models/alias": { body: () => ({ ...reg(), alias: "champion" }) },
  "GET registered-models/alias": { query: () => ({ ...reg(), alias: "champion" }) },
  "POST model-versions/create": { body: () => ({ ...reg(), source: `runs:/${modelRunId}/model`, run_id: modelRunId }) },
  "GET model-versions/get": { query: ver },
  "GET model-versions/search": { query: () => ({ filter: "name LIKE '%'" }), empty: true },
  "PATCH model-versions/update": { body: () => ({ ...ver(), description: "pwned" }) },
  "DELETE model-versions/delete": { body: ver },
  "POST model-versions/set-tag": { body: () => ({ ...ver(), key: "k", value: "pwned" }) },
  "DELETE model-versions/delete-tag": { body: () => ({ ...ver(), key: "checked" }) },
  "POST model-versions/transition-stage": { body: () => ({ ...ver(), stage: "Archived", archive_existing_versions: false }) },
  "GET model-versions/get-download-uri": { query: ver },
};

beforeAll(async () => {
  const artifactRoot = await mkdtemp(path.join(tmpdir(), "gantry-mlx-"));
  server = await startApiServer(tdb.db, tdb.sql, { artifactRoot });
  a = await createOrgFixture(tdb.db, "mlx-a");
  b = await createOrgFixture(tdb.db, "mlx-b");
  const ctx = fixtureContext(tdb.db, a);
  const store = createFsArtifactStore(artifactRoot);
  modelRunId = await createFakeModelRun(ctx, store, { experimentId: a.experiment.id });
  await registerVersionFromRun(ctx, store, { name: REGISTERED, runId: modelRunId, description: "secret description" });
  await setAlias(ctx, { name: REGISTERED, alias: "champion", version: 1 });
  await a.as("owner").model.setTag({ name: REGISTERED, tag: { key: "team", value: "secret-team" } });
  await a.as("owner").model.setVersionTag({ name: REGISTERED, version: 1, tag: { key: "checked", value: "secret-check" } });
  const created = await fetch(`${server.url}/api/2.0/mlflow/logged-models`, {
    method: "POST",
    headers: { authorization: bearer(a.keys.all.secret), "content-type": "application/json" },
    body: JSON.stringify({ experiment_id: a.experiment.id, name: "secret-model", tags: [{ key: "flavor", value: "tfjs" }] }),
  }).then((r) => r.json() as Promise<{ model: { info: { model_id: string } } }>);
  modelId = created.model.info.model_id;
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

describe("MLflow REST cross-org", () => {
  it("has a case for every route", () => {
    expect(mlflowRouteKeys().filter((k) => !(k in cases))).toEqual([]);
  });

  it.each(Object.keys(cases))("%s: org B's key gets 404 RESOURCE_DOES_NOT_EXIST or nothing of org A's", async (route) => {
    const c = cases[route];
    if (!c) throw new Error(route);
    const [method = "GET", template = ""] = route.split(" ");
    const path = c.path ? c.path(a) : template;
    const qs = c.query ? `?${new URLSearchParams(c.query(a))}` : "";
    const response = await fetch(`${server.url}/api/2.0/mlflow/${path}${qs}`, {
      method,
      headers: { authorization: bearer(b.keys.all.secret), "content-type": "application/json" },
      body: c.body ? JSON.stringify(c.body(a)) : method === "GET" ? undefined : "{}",
    });
    const text = await response.text();
    // Echoing back an id the caller sent tells them nothing; anything else of A's would.
    const sent = `${path}${qs}${c.body ? JSON.stringify(c.body(a)) : ""}`;
    for (const secret of [...a.secrets, modelId, "secret-model", REGISTERED, modelRunId, "secret description", "secret-team", "secret-check"].filter((s) => !sent.includes(s) && !sent.includes(new URLSearchParams({ s }).toString().slice(2)))) {
      expect(text, `leaked ${secret}`).not.toContain(secret);
    }
    if (c.empty) expect(response.status).toBe(200);
    else {
      expect(response.status).toBe(404);
      expect(JSON.parse(text)).toMatchObject({ error_code: "RESOURCE_DOES_NOT_EXIST" });
    }
  });

  it("left org A's run, experiment and model as they were", async () => {
    const run = await a.as("owner").run.get({ runId: a.run.info.id });
    expect(run.info).toMatchObject({ status: "RUNNING", lifecycleStage: "active" });
    expect(run.data.metrics).toEqual([{ key: "loss", value: 0.5, timestamp: 1, step: 0 }]);
    expect(run.data.tags).toContainEqual({ key: "team", value: "mlx-a" });
    expect(run.data.params).toEqual([{ key: "lr", value: "0.1" }]);
    expect(run.inputs.datasetInputs).toEqual([]);
    expect(await a.as("owner").experiment.get({ experimentId: a.experiment.id })).toMatchObject({ name: "experiment of mlx-a", lifecycleStage: "active", tags: [] });
    const model = await fetch(`${server.url}/api/2.0/mlflow/logged-models/${modelId}`, { headers: { authorization: bearer(a.keys.all.secret) } }).then((r) => r.json() as Promise<{ model: { info: Record<string, unknown> } }>);
    expect(model.model.info).toMatchObject({ status: "LOGGED_MODEL_PENDING", tags: [{ key: "flavor", value: "tfjs" }] });
  });

  it("left org A's registered model, its version, alias and stage as they were; B has only its own model", async () => {
    const owner = a.as("owner");
    expect(await owner.model.get({ name: REGISTERED })).toMatchObject({ description: null, tags: { team: "secret-team" }, versionCount: 1, aliases: [{ alias: "champion", version: 1 }] });
    expect(await owner.model.version({ name: REGISTERED, version: 1 })).toMatchObject({ description: "secret description", tags: { checked: "secret-check" }, sourceRunId: modelRunId });
    expect((await b.as("owner").model.list()).map((m) => m.name)).toEqual(["org-b-own"]);
  });
});
