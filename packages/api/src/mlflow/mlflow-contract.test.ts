import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import type { OrgFixture } from "../testing";
import { bearer, createOrgFixture, mlflowClient, startApiServer } from "../testing";

const tdb = await createTestDatabase();
let server: Awaited<ReturnType<typeof startApiServer>>;
let a: OrgFixture;
let b: OrgFixture;
let ml: ReturnType<typeof mlflowClient>;
let experimentId: string;
let runId: string;

beforeAll(async () => {
  server = await startApiServer(tdb.db, tdb.sql, { artifactMaxBytes: 1024 });
  a = await createOrgFixture(tdb.db, "mlflow-a");
  b = await createOrgFixture(tdb.db, "mlflow-b");
  ml = mlflowClient(server.url, bearer(a.keys.all.secret));
  experimentId = (await ml.post("experiments/create", { name: "contract" })).body.experiment_id;
  runId = (await ml.post("runs/create", { experiment_id: experimentId })).body.run.info.run_id;
  await ml.post("runs/log-batch", { run_id: runId, params: [{ key: "lr", value: "0.1" }], metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }] });
  await ml.putArtifact(`${experimentId}/${runId}/artifacts/notes.txt`, "secret notes");
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

const errorOf = (status: number, code: string) => ({ status, body: expect.objectContaining({ error_code: code, message: expect.any(String) }) });

describe("MLflow errors: codes and statuses", () => {
  it("a duplicate experiment name is 400 RESOURCE_ALREADY_EXISTS", async () => {
    expect(await ml.post("experiments/create", { name: "contract" })).toEqual(errorOf(400, "RESOURCE_ALREADY_EXISTS"));
  });

  it("a missing required field is 400 INVALID_PARAMETER_VALUE naming it", async () => {
    const r = await ml.post("experiments/create", {});
    expect(r).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    expect(r.body.message).toContain("'name'");
  });

  it("unknown runs and experiments are 404 RESOURCE_DOES_NOT_EXIST", async () => {
    expect(await ml.get("runs/get", { run_id: "0190f1e8-aaaa-7bbb-8ccc-123456789abc" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await ml.get("runs/get", { run_id: "not-a-uuid" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await ml.get("experiments/get", { experiment_id: "12345" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await ml.get("experiments/get-by-name", { experiment_name: "nope" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
  });

  it("an unknown endpoint is 404 ENDPOINT_NOT_FOUND", async () => {
    expect(await ml.post("runs/teleport", {})).toEqual(errorOf(404, "ENDPOINT_NOT_FOUND"));
  });

  it("no or a bad key is 401 UNAUTHENTICATED; a read-only key cannot log (403 PERMISSION_DENIED)", async () => {
    expect(await mlflowClient(server.url, "").get("experiments/search")).toEqual(errorOf(401, "UNAUTHENTICATED"));
    expect(await mlflowClient(server.url, bearer(`gky_000000000000_${"a".repeat(43)}`)).get("experiments/search")).toEqual(errorOf(401, "UNAUTHENTICATED"));
    const readOnly = mlflowClient(server.url, bearer(a.keys.read.secret));
    expect((await readOnly.get("runs/get", { run_id: runId })).status).toBe(200);
    expect(await readOnly.post("runs/log-batch", { run_id: runId, metrics: [{ key: "m", value: 2, timestamp: 2 }] })).toEqual(errorOf(403, "PERMISSION_DENIED"));
    expect((await readOnly.putArtifact(`${experimentId}/${runId}/artifacts/x.txt`, "x")).status).toBe(403);
  });

  it("X-MLFLOW-WORKSPACE must name the key's own org", async () => {
    expect((await ml.get("experiments/search", {}, { "x-mlflow-workspace": "mlflow-a" })).status).toBe(200);
    expect((await ml.get("experiments/search", {}, { "x-mlflow-workspace": "default" })).status).toBe(200);
    expect(await ml.get("experiments/search", {}, { "x-mlflow-workspace": "mlflow-b" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
  });
});

describe("MLflow bad input leaves the run's data unchanged", () => {
  const snapshot = async () => (await ml.get("runs/get", { run_id: runId })).body.run.data;

  it.each([
    ["a batch over the metric limit", { metrics: Array.from({ length: 1001 }, (_, i) => ({ key: "x", value: i, timestamp: i })) }, "at most 1000 metrics"],
    ["a param re-logged with a new value", { params: [{ key: "lr", value: "0.2" }], metrics: [{ key: "m", value: 5, timestamp: 5 }] }, "Changing param values is not allowed"],
    ["a non-numeric metric value", { metrics: [{ key: "m", value: "high", timestamp: 1 }] }, "value must be a number"],
    ["a duplicate param key in one batch", { params: [{ key: "p", value: "1" }, { key: "p", value: "2" }] }, "same param key twice"],
    ["a bad key", { tags: [{ key: "../etc", value: "x" }] }, "key may"],
  ])("%s → 400 INVALID_PARAMETER_VALUE", async (_label, body, message) => {
    const before = await snapshot();
    const r = await ml.post("runs/log-batch", { run_id: runId, ...body });
    expect(r).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    expect(r.body.message).toContain(message);
    expect(await snapshot()).toEqual(before);
    expect((await ml.get("metrics/get-history", { run_id: runId, metric_key: "m" })).body.metrics).toHaveLength(1);
  });

  it("a malformed JSON body is 400, not 500", async () => {
    const r = await fetch(`${server.url}/api/2.0/mlflow/runs/log-batch`, { method: "POST", headers: { authorization: bearer(a.keys.all.secret), "content-type": "application/json" }, body: "{oops" });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE", message: "Malformed JSON in request body" });
  });

  it("writes to a deleted run are refused; reads still work", async () => {
    const doomed = (await ml.post("runs/create", { experiment_id: experimentId })).body.run.info.run_id;
    expect((await ml.post("runs/delete", { run_id: doomed })).status).toBe(200);
    const r = await ml.post("runs/log-batch", { run_id: doomed, metrics: [{ key: "m", value: 1, timestamp: 1 }] });
    expect(r).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    expect(r.body.message).toContain("active");
    expect((await ml.get("runs/get", { run_id: doomed })).body.run.info.lifecycle_stage).toBe("deleted");
    expect((await ml.post("runs/restore", { run_id: doomed })).status).toBe(200);
    expect((await ml.post("runs/log-batch", { run_id: doomed, metrics: [{ key: "m", value: 1, timestamp: 1 }] })).status).toBe(200);
  });

  it("an artifact over the size limit is refused and not listed", async () => {
    const r = await ml.putArtifact(`${experimentId}/${runId}/artifacts/big.bin`, new Uint8Array(4096), "application/octet-stream");
    expect(r).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    expect((await ml.get("artifacts/list", { run_id: runId })).body.files ?? []).not.toContainEqual(expect.objectContaining({ path: "big.bin" }));
  });

  it("a malformed percent-escape in an artifact path is a 400 naming the path", async () => {
    const r = await ml.putArtifact(`${experimentId}/${runId}/artifacts/bad%E0name.txt`, "x");
    expect(r).toEqual(errorOf(400, "INVALID_PARAMETER_VALUE"));
    expect(r.body.message).toContain("path");
  });

  it("artifact paths cannot escape the run", async () => {
    const r = await ml.putArtifact(`${experimentId}/${runId}/artifacts/..%2F..%2Fescape.txt`, "x");
    expect(r.status).toBe(400);
  });
});

describe("MLflow wire details", () => {
  it("GET takes repeated keys and key[]=; int64 arrive as strings or numbers", async () => {
    const other = (await ml.post("experiments/create", { name: "second" })).body.experiment_id as string;
    const r = await ml.post("runs/search", { experiment_ids: [experimentId, other], max_results: "5" });
    expect(r.status).toBe(200);
    const q = await fetch(`${server.url}/api/2.0/mlflow/experiments/search?max_results=1&view_type=ALL`, { headers: { authorization: bearer(a.keys.all.secret) } }).then((x) => x.json() as Promise<{ experiments: unknown[]; next_page_token: string }>);
    expect(q.experiments).toHaveLength(1);
    expect(typeof q.next_page_token).toBe("string");
  });

  it("the legacy experiments/list and the MLflow 3 server-info answer", async () => {
    const list = await ml.get("experiments/list", { view_type: "ACTIVE_ONLY" });
    expect(list.body.experiments.map((e: { name: string }) => e.name)).toEqual(expect.arrayContaining(["contract", "second"]));
    const info = await fetch(`${server.url}/api/3.0/mlflow/server-info`).then((x) => x.json());
    expect(info).toMatchObject({ store_type: "SqlStore", workspaces_enabled: true });
  });

  it("experiment id 0 is the org's Default experiment", async () => {
    const run = await ml.post("runs/create", {});
    expect(run.status).toBe(200);
    const exp = await ml.get("experiments/get", { experiment_id: "0" });
    expect(exp.body.experiment).toMatchObject({ name: "Default", experiment_id: run.body.run.info.experiment_id });
  });
});

describe("MLflow cross-org", () => {
  it("org B's key gets RESOURCE_DOES_NOT_EXIST for org A's runs, experiments and artifacts, and can change nothing", async () => {
    const intruder = mlflowClient(server.url, bearer(b.keys.all.secret));
    expect(await intruder.get("runs/get", { run_id: runId })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await intruder.get("experiments/get", { experiment_id: experimentId })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await intruder.get("experiments/get-by-name", { experiment_name: "contract" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await intruder.post("runs/log-batch", { run_id: runId, metrics: [{ key: "m", value: 9, timestamp: 9 }] })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await intruder.post("runs/update", { run_id: runId, status: "KILLED" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await intruder.post("runs/delete", { run_id: runId })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await intruder.post("experiments/delete", { experiment_id: experimentId })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await intruder.post("experiments/update", { experiment_id: experimentId, new_name: "x" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await intruder.post("runs/create", { experiment_id: experimentId })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await intruder.get("metrics/get-history", { run_id: runId, metric_key: "m" })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await intruder.get("artifacts/list", { run_id: runId })).toEqual(errorOf(404, "RESOURCE_DOES_NOT_EXIST"));
    expect(await (await ml.getArtifact(`${experimentId}/${runId}/artifacts/notes.txt`)).text()).toBe("secret notes");
    expect((await intruder.getArtifact(`${experimentId}/${runId}/artifacts/notes.txt`)).status).toBe(404);
    const download = (key: string, org?: string) =>
      fetch(`${server.url}/api/v1/runs/${runId}/artifact?path=notes.txt${org ? `&org=${org}` : ""}`, { headers: { authorization: bearer(key) } });
    const mine = await download(a.keys.read.secret);
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-security-policy")).toContain("sandbox");
    expect(await mine.text()).toBe("secret notes");
    for (const response of [await download(b.keys.all.secret), await download(b.keys.all.secret, "mlflow-a")]) {
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("secret notes");
    }
    expect((await download(a.keys.predict.secret)).status).toBe(403);
    expect((await intruder.putArtifact(`${experimentId}/${runId}/artifacts/pwned.txt`, "x")).status).toBe(404);
    const search = await intruder.post("runs/search", { experiment_ids: [experimentId] });
    expect(search).toEqual({ status: 200, body: {} });
    const bulk = await intruder.get("metrics/get-history-bulk-interval", { run_ids: [runId], metric_key: "m" });
    expect(bulk.status).toBe(404);
    const exps = await intruder.get("experiments/search", { view_type: "ALL" });
    expect(JSON.stringify(exps.body)).not.toContain(experimentId);
    // Nothing changed.
    const run = (await ml.get("runs/get", { run_id: runId })).body.run;
    expect(run.info).toMatchObject({ status: "RUNNING", lifecycle_stage: "active" });
    expect((await ml.get("metrics/get-history", { run_id: runId, metric_key: "m" })).body.metrics).toHaveLength(1);
  });
});
