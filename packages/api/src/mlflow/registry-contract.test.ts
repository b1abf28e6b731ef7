import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { createApiKey } from "../services/api-keys";
import type { OrgFixture } from "../testing";
import { bearer, createFakeModelRun, createOrgFixture, fixtureContext, mlflowClient, startApiServer } from "../testing";

/* The MLflow model-registry REST API over real HTTP: every route's fields, statuses and error codes. */

const tdb = await createTestDatabase();
let server: Awaited<ReturnType<typeof startApiServer>>;
let a: OrgFixture;
let ctx: OrgContext;
let ml: ReturnType<typeof mlflowClient>;
let readOnly: ReturnType<typeof mlflowClient>;
let writeOnly: ReturnType<typeof mlflowClient>;
let modelRun: () => Promise<string>;

beforeAll(async () => {
  const artifactRoot = await mkdtemp(path.join(tmpdir(), "gantry-mlflow-registry-"));
  server = await startApiServer(tdb.db, tdb.sql, { artifactRoot });
  a = await createOrgFixture(tdb.db, "mlreg-a");
  ctx = fixtureContext(tdb.db, a);
  const store = createFsArtifactStore(artifactRoot);
  modelRun = () => createFakeModelRun(ctx, store, { experimentId: a.experiment.id });
  ml = mlflowClient(server.url, bearer(a.keys.all.secret));
  readOnly = mlflowClient(server.url, bearer(a.keys.read.secret));
  writeOnly = mlflowClient(server.url, bearer((await createApiKey(ctx, { name: "ci", scopes: ["read", "write"] })).secret));
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

const errorOf = (status: number, code: string) => ({ status, body: expect.objectContaining({ error_code: code, message: expect.any(String) }) });
const ok = { status: 200, body: {} };
const wireVersion = (fields: Record<string, unknown> = {}) =>
  expect.objectContaining({
    name: expect.any(String),
    version: expect.stringMatching(/^\d+$/),
    creation_timestamp: expect.any(Number),
    last_updated_timestamp: expect.any(Number),
    current_stage: "None",
    source: expect.stringMatching(/^mlflow-artifacts:\/[^/]+\/[^/]+\/artifacts\/model$/),
    run_id: expect.any(String),
    status: "READY",
    ...fields,
  });

async function modelWithVersions(name: string, count: number): Promise<string[]> {
  expect((await ml.post("registered-models/create", { name })).status).toBe(200);
  const runs: string[] = [];
  for (let i = 0; i < count; i++) {
    const runId = await modelRun();
    runs.push(runId);
    expect((await ml.post("model-versions/create", { name, source: `runs:/${runId}/model`, run_id: runId })).status).toBe(200);
  }
  return runs;
}

describe("registered-models", () => {
  it("create → {registered_model} with ms timestamps, tags and description; duplicates and bad names are 400", async () => {
    const r = await ml.post("registered-models/create", { name: "churn", description: "who leaves", tags: [{ key: "team", value: "growth" }] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      registered_model: { name: "churn", description: "who leaves", tags: [{ key: "team", value: "growth" }], creation_timestamp: expect.any(Number), last_updated_timestamp: expect.any(Number) },
    });
    expect(Math.abs(r.body.registered_model.creation_timestamp - Date.now())).toBeLessThan(60_000);
    expect(await ml.post("registered-models/create", { name: "churn" })).toEqual(errorOf(400, "RESOURCE_ALREADY_EXISTS"));
    expect(await ml.post("registered-models/create", {})).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    expect(await ml.post("registered-models/create", { name: "no spaces/or slashes" })).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
  });

  it("get (GET, query string) → the model; an unknown one is 404 RESOURCE_DOES_NOT_EXIST", async () => {
    expect((await ml.get("registered-models/get", { name: "churn" })).body.registered_model).toMatchObject({ name: "churn", description: "who leaves" });
    expect(await ml.get("registered-models/get", { name: "nope" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("search: filter, order_by, max_results and page_token", async () => {
    for (const name of ["search-a", "search-b", "search-c"]) await ml.post("registered-models/create", { name });
    const first = await ml.get("registered-models/search", { filter: "name LIKE 'search-%'", max_results: "2", order_by: "name DESC" });
    expect(first.body.registered_models.map((m: { name: string }) => m.name)).toEqual(["search-c", "search-b"]);
    expect(typeof first.body.next_page_token).toBe("string");
    const second = await ml.get("registered-models/search", { filter: "name LIKE 'search-%'", max_results: "2", order_by: "name DESC", page_token: first.body.next_page_token });
    expect(second.body).toEqual({ registered_models: [expect.objectContaining({ name: "search-a" })] });
    expect((await ml.get("registered-models/search", { filter: "name = 'churn'" })).body.registered_models).toEqual([expect.objectContaining({ name: "churn" })]);
    expect(await ml.get("registered-models/search", { filter: "name = 'none-such'" })).toEqual(ok);
    expect(await ml.get("registered-models/search", { filter: "name = churn" })).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    expect(await ml.get("registered-models/search", { max_results: "1001" })).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
  });

  it("update (PATCH) sets the description; rename (POST) moves the name, refusing a taken one", async () => {
    const updated = await ml.send("PATCH", "registered-models/update", { name: "search-a", description: "first" });
    expect(updated.body.registered_model).toMatchObject({ name: "search-a", description: "first" });
    expect(await ml.send("PATCH", "registered-models/update", { name: "nope", description: "x" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    const renamed = await ml.post("registered-models/rename", { name: "search-a", new_name: "renamed-a" });
    expect(renamed.body.registered_model).toMatchObject({ name: "renamed-a", description: "first" });
    expect(await ml.get("registered-models/get", { name: "search-a" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await ml.post("registered-models/rename", { name: "renamed-a", new_name: "churn" })).toEqual(errorOf(400, "RESOURCE_ALREADY_EXISTS"));
    expect(await ml.post("registered-models/rename", { name: "nope", new_name: "x" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("set-tag (POST) and delete-tag (DELETE, JSON body; a missing tag is fine, a missing model is 404)", async () => {
    expect(await ml.post("registered-models/set-tag", { name: "churn", key: "owner", value: "ana" })).toEqual(ok);
    expect((await ml.get("registered-models/get", { name: "churn" })).body.registered_model.tags).toEqual([
      { key: "owner", value: "ana" },
      { key: "team", value: "growth" },
    ]);
    expect(await ml.send("DELETE", "registered-models/delete-tag", { name: "churn", key: "owner" })).toEqual(ok);
    expect(await ml.send("DELETE", "registered-models/delete-tag", { name: "churn", key: "owner" })).toEqual(ok);
    expect((await ml.get("registered-models/get", { name: "churn" })).body.registered_model.tags).toEqual([{ key: "team", value: "growth" }]);
    expect(await ml.post("registered-models/set-tag", { name: "nope", key: "k", value: "v" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await ml.send("DELETE", "registered-models/delete-tag", { name: "nope", key: "k" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("delete (DELETE) needs the admin scope; then the model is gone", async () => {
    expect(await writeOnly.send("DELETE", "registered-models/delete", { name: "search-b" })).toEqual(errorOf(403, "PERMISSION_DENIED"));
    expect(await ml.send("DELETE", "registered-models/delete", { name: "search-b" })).toEqual(ok);
    expect(await ml.get("registered-models/get", { name: "search-b" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await ml.send("DELETE", "registered-models/delete", { name: "search-b" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("a read-only key reads but cannot write (403 PERMISSION_DENIED)", async () => {
    expect((await readOnly.get("registered-models/get", { name: "churn" })).status).toBe(200);
    expect(await readOnly.post("registered-models/create", { name: "ro" })).toEqual(errorOf(403, "PERMISSION_DENIED"));
    expect(await readOnly.post("registered-models/set-tag", { name: "churn", key: "k", value: "v" })).toEqual(errorOf(403, "PERMISSION_DENIED"));
    expect(await readOnly.post("registered-models/alias", { name: "churn", alias: "x", version: "1" })).toEqual(errorOf(403, "PERMISSION_DENIED"));
    expect(await readOnly.post("model-versions/transition-stage", { name: "churn", version: "1", stage: "Staging", archive_existing_versions: false })).toEqual(
      errorOf(403, "PERMISSION_DENIED"),
    );
  });
});

describe("model-versions", () => {
  let runs: string[];
  beforeAll(async () => {
    runs = await modelWithVersions("fraud", 2);
  });

  it("create from runs:/<run>/model or the run's artifact URI → {model_version} (version a string, status READY)", async () => {
    const runId = await modelRun();
    const uri = `mlflow-artifacts:/${a.experiment.id}/${runId}/artifacts/model`;
    const r = await ml.post("model-versions/create", { name: "fraud", source: uri, run_id: runId, description: "third", tags: [{ key: "by", value: "ci" }] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ model_version: wireVersion({ name: "fraud", version: "3", source: uri, run_id: runId, description: "third", tags: [{ key: "by", value: "ci" }] }) });
    runs.push(runId);
  });

  it("create refuses unknown models (404), sources we cannot resolve and runs without a model (400)", async () => {
    const runId = runs[0] ?? "";
    expect(await ml.post("model-versions/create", { name: "nope", source: `runs:/${runId}/model` })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    for (const source of ["s3://bucket/model", `runs:/${runId}/other`, "models:/m-123", ""]) {
      expect(await ml.post("model-versions/create", { name: "fraud", source })).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    }
    expect(await ml.post("model-versions/create", { name: "fraud", source: `runs:/${runId}/model`, run_id: runs[1] })).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    expect(await ml.post("model-versions/create", { name: "fraud", source: `runs:/${runId}/model`, tags: [{ key: "", value: "x" }] })).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    expect((await ml.get("model-versions/search", { filter: "name = 'fraud'" })).body.model_versions).toHaveLength(3);
    const created = await ml.post("runs/create", { experiment_id: a.experiment.id });
    const bare = created.body.run.info.run_id as string;
    const noModel = await ml.post("model-versions/create", { name: "fraud", source: `runs:/${bare}/model` });
    expect(noModel).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    expect(await ml.post("model-versions/create", { name: "fraud", source: "runs:/0190f1e8-aaaa-7bbb-8ccc-123456789abc/model" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("get (GET) → the version; unknown models and versions are 404", async () => {
    const r = await ml.get("model-versions/get", { name: "fraud", version: "1" });
    expect(r.body).toEqual({ model_version: wireVersion({ name: "fraud", version: "1", run_id: runs[0] }) });
    expect(await ml.get("model-versions/get", { name: "fraud", version: "99" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await ml.get("model-versions/get", { name: "nope", version: "1" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await ml.get("model-versions/get", { name: "fraud", version: "one" })).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
  });

  it("search (GET) by name and run_id", async () => {
    const byName = await ml.get("model-versions/search", { filter: "name = 'fraud'" });
    expect(byName.body.model_versions.map((v: { version: string }) => v.version)).toEqual(["3", "2", "1"]);
    const byRun = await ml.get("model-versions/search", { filter: `run_id = '${runs[1] ?? ""}'` });
    expect(byRun.body).toEqual({ model_versions: [wireVersion({ name: "fraud", version: "2", run_id: runs[1] })] });
    const paged = await ml.get("model-versions/search", { filter: "name = 'fraud'", max_results: "2" });
    expect(paged.body.model_versions).toHaveLength(2);
    expect(typeof paged.body.next_page_token).toBe("string");
    expect(await ml.get("model-versions/search", { filter: "name = 'nope'" })).toEqual(ok);
    expect(await ml.get("model-versions/search", { filter: "flavor = 'x'" })).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
  });

  it("update (PATCH) sets the description", async () => {
    const r = await ml.send("PATCH", "model-versions/update", { name: "fraud", version: "1", description: "baseline" });
    expect(r.body.model_version).toMatchObject({ version: "1", description: "baseline" });
    expect(await ml.send("PATCH", "model-versions/update", { name: "fraud", version: "42", description: "x" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("set-tag (POST) and delete-tag (DELETE)", async () => {
    expect(await ml.post("model-versions/set-tag", { name: "fraud", version: "2", key: "validated", value: "yes" })).toEqual(ok);
    expect((await ml.get("model-versions/get", { name: "fraud", version: "2" })).body.model_version.tags).toEqual([{ key: "validated", value: "yes" }]);
    expect(await ml.send("DELETE", "model-versions/delete-tag", { name: "fraud", version: "2", key: "validated" })).toEqual(ok);
    expect(await ml.send("DELETE", "model-versions/delete-tag", { name: "fraud", version: "2", key: "validated" })).toEqual(ok);
    expect((await ml.get("model-versions/get", { name: "fraud", version: "2" })).body.model_version).not.toHaveProperty("tags");
    expect(await ml.post("model-versions/set-tag", { name: "fraud", version: "42", key: "k", value: "v" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("get-download-uri (GET) → the run's model directory behind our artifact proxy, which serves it", async () => {
    const r = await ml.get("model-versions/get-download-uri", { name: "fraud", version: "1" });
    expect(r.body).toEqual({ artifact_uri: `mlflow-artifacts:/${a.experiment.id}/${runs[0] ?? ""}/artifacts/model` });
    const file = await ml.getArtifact(`${r.body.artifact_uri.replace("mlflow-artifacts:/", "")}/pipeline.json`);
    expect(file.status).toBe(200);
    expect(await file.text()).toContain('"format":"fake"');
    expect(await ml.get("model-versions/get-download-uri", { name: "fraud", version: "42" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("transition-stage (POST): the stage is current_stage; archive_existing_versions archives the others in it", async () => {
    const to = (version: string, stage: string, archive = false) => ml.post("model-versions/transition-stage", { name: "fraud", version, stage, archive_existing_versions: archive });
    expect((await to("1", "Production")).body).toEqual({ model_version: wireVersion({ version: "1", current_stage: "Production", run_id: runs[0] }) });
    expect((await to("2", "staging")).body.model_version.current_stage).toBe("Staging");
    expect((await to("3", "Production", true)).body.model_version.current_stage).toBe("Production");
    const stageOf = async (version: string) => (await ml.get("model-versions/get", { name: "fraud", version })).body.model_version.current_stage as string;
    expect([await stageOf("1"), await stageOf("2"), await stageOf("3")]).toEqual(["Archived", "Staging", "Production"]);
    expect(await to("1", "Retired")).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    expect(await to("1", "Archived", true)).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    expect(await ml.post("model-versions/transition-stage", { name: "nope", version: "1", stage: "Staging", archive_existing_versions: false })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("get-latest-versions (POST and GET): the newest version per stage, or per stage asked for", async () => {
    const all = await ml.post("registered-models/get-latest-versions", { name: "fraud" });
    expect(all.body.model_versions.map((v: { version: string; current_stage: string }) => `${v.version}:${v.current_stage}`)).toEqual(["1:Archived", "2:Staging", "3:Production"]);
    const prod = await ml.get("registered-models/get-latest-versions", { name: "fraud", stages: ["Production", "None"] });
    expect(prod.body).toEqual({ model_versions: [wireVersion({ version: "3", current_stage: "Production", run_id: runs[2] })] });
    expect((await ml.get("registered-models/get", { name: "fraud" })).body.registered_model.latest_versions).toHaveLength(3);
    expect(await ml.post("registered-models/get-latest-versions", { name: "fraud", stages: ["Live"] })).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    expect(await ml.get("registered-models/get-latest-versions", { name: "nope" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("aliases: set (POST), get by alias (GET), delete (DELETE); reserved and malformed aliases are 400", async () => {
    expect(await ml.post("registered-models/alias", { name: "fraud", alias: "champion", version: "2" })).toEqual(ok);
    const got = await ml.get("registered-models/alias", { name: "fraud", alias: "champion" });
    expect(got.body).toEqual({ model_version: wireVersion({ version: "2", current_stage: "Staging", aliases: ["champion"], run_id: runs[1] }) });
    expect((await ml.get("registered-models/get", { name: "fraud" })).body.registered_model.aliases).toEqual([{ alias: "champion", version: "2" }]);
    for (const alias of ["latest", "v3", "Has Space", ""]) {
      expect(await ml.post("registered-models/alias", { name: "fraud", alias, version: "1" })).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    }
    expect(await ml.post("registered-models/alias", { name: "fraud", alias: "x", version: "42" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await ml.post("registered-models/alias", { name: "nope", alias: "x", version: "1" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await ml.get("registered-models/alias", { name: "fraud", alias: "latest" })).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    expect(await ml.get("registered-models/alias", { name: "fraud", alias: "nobody" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await ml.send("DELETE", "registered-models/alias", { name: "fraud", alias: "champion" })).toEqual(ok);
    expect(await ml.send("DELETE", "registered-models/alias", { name: "fraud", alias: "champion" })).toEqual(ok);
    expect(await ml.get("registered-models/alias", { name: "fraud", alias: "champion" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await ml.send("DELETE", "registered-models/alias", { name: "nope", alias: "champion" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("delete (DELETE) needs the admin scope; the number is not given again", async () => {
    expect(await writeOnly.send("DELETE", "model-versions/delete", { name: "fraud", version: "1" })).toEqual(errorOf(403, "PERMISSION_DENIED"));
    expect(await ml.send("DELETE", "model-versions/delete", { name: "fraud", version: "1" })).toEqual(ok);
    expect(await ml.get("model-versions/get", { name: "fraud", version: "1" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await ml.send("DELETE", "model-versions/delete", { name: "fraud", version: "1" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    const runId = await modelRun();
    expect((await ml.post("model-versions/create", { name: "fraud", source: `runs:/${runId}/model` })).body.model_version.version).toBe("4");
  });

  it("answers under /ajax-api/2.0/mlflow/ too", async () => {
    const r = await fetch(`${server.url}/ajax-api/2.0/mlflow/registered-models/get?name=fraud`, { headers: { authorization: bearer(a.keys.all.secret) } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { registered_model: { name: string } }).registered_model.name).toBe("fraud");
  });
});

describe("end to end: a trained run → registered → champion, the same version everywhere", () => {
  it("create model → version from the run → alias champion → get by alias = tRPC model.resolve; moving it is recorded", async () => {
    const runIds = await modelWithVersions("recommender", 2);
    expect(await ml.post("registered-models/alias", { name: "recommender", alias: "champion", version: "1" })).toEqual(ok);
    expect(await ml.post("registered-models/alias", { name: "recommender", alias: "champion", version: "2" })).toEqual(ok);
    const byAlias = (await ml.get("registered-models/alias", { name: "recommender", alias: "champion" })).body.model_version;
    const caller = a.withKey("all");
    const resolved = await caller.model.resolve({ uri: "models:/recommender@champion" });
    expect(byAlias).toMatchObject({ name: "recommender", version: String(resolved.version), run_id: resolved.sourceRunId, aliases: ["champion"] });
    expect(resolved.sourceRunId).toBe(runIds[1]);
    const history = await caller.model.aliasHistory({ name: "recommender", alias: "champion" });
    expect(history.map((e) => [e.fromVersion, e.toVersion])).toEqual([
      [1, 2],
      [null, 1],
    ]);
  });
});
