import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import type { OrgFixture } from "../testing";
import { basic, bearer, createOrgFixture, mlflowClient, startApiServer } from "../testing";

const tdb = await createTestDatabase();
let server: Awaited<ReturnType<typeof startApiServer>>;
let org: OrgFixture;
beforeAll(async () => {
  server = await startApiServer(tdb.db, tdb.sql);
  org = await createOrgFixture(tdb.db, "mlflow-flow");
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

describe.each([
  ["Bearer", (key: string) => bearer(key)],
  ["Basic password", (key: string) => basic(key)],
])("an MLflow client (key as %s)", (label, auth) => {
  it("creates an experiment, runs, logs, uploads artifacts, searches, reads history and finishes", async () => {
    const ml = mlflowClient(server.url, auth(org.keys.all.secret));
    const name = `exp ${label}`;

    const created = await ml.post("experiments/create", { name, tags: [{ key: "team", value: "ml" }] });
    expect(created.status).toBe(200);
    const experimentId = created.body.experiment_id as string;
    expect(typeof experimentId).toBe("string");

    const byName = await ml.get("experiments/get-by-name", { experiment_name: name });
    expect(byName.body.experiment).toMatchObject({ experiment_id: experimentId, name, lifecycle_stage: "active", artifact_location: `mlflow-artifacts:/${experimentId}`, tags: [{ key: "team", value: "ml" }] });
    expect(typeof byName.body.experiment.creation_time).toBe("number");

    const started = await ml.post("runs/create", { experiment_id: experimentId, start_time: 1_700_000_000_000, tags: [{ key: "mlflow.runName", value: "first" }, { key: "mlflow.user", value: "ada" }] });
    expect(started.status).toBe(200);
    const info = started.body.run.info;
    expect(info).toMatchObject({ experiment_id: experimentId, run_name: "first", user_id: "ada", status: "RUNNING", start_time: 1_700_000_000_000, lifecycle_stage: "active" });
    expect(info.run_uuid).toBe(info.run_id);
    expect(info.artifact_uri).toBe(`mlflow-artifacts:/${experimentId}/${info.run_id}/artifacts`);
    expect(info).not.toHaveProperty("end_time");
    const runId = info.run_id as string;

    const metrics = Array.from({ length: 50 }, (_, i) => ({ key: "loss", value: 1 / (i + 1), timestamp: 1_700_000_000_000 + i, step: i }));
    const batch = await ml.post("runs/log-batch", {
      run_id: runId,
      metrics: [...metrics, { key: "auc", value: 0.91, timestamp: 1_700_000_000_100, step: 0 }, { key: "odd", value: "NaN", timestamp: 1, step: 0 }],
      params: [{ key: "lr", value: "0.01" }, { key: "layers", value: "3" }],
      tags: [{ key: "stage", value: "dev" }, { key: "stage", value: "test" }],
    });
    expect(batch).toEqual({ status: 200, body: {} });
    expect((await ml.post("runs/log-metric", { run_uuid: runId, key: "auc", value: 0.93, timestamp: "1700000000200", step: 1 })).status).toBe(200);
    expect((await ml.post("runs/log-parameter", { run_id: runId, key: "lr", value: "0.01" })).status).toBe(200);
    expect((await ml.post("runs/set-tag", { run_id: runId, key: "owner", value: "ada" })).status).toBe(200);

    expect((await ml.putArtifact(`${experimentId}/${runId}/artifacts/model/weights.json`, '{"w":[1,2]}', "application/json")).status).toBe(200);
    expect((await ml.putArtifact(`${experimentId}/${runId}/artifacts/notes.txt`, "hello")).status).toBe(200);
    const download = await ml.getArtifact(`${experimentId}/${runId}/artifacts/notes.txt`);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe("hello");
    const listing = await ml.get("artifacts/list", { run_id: runId });
    expect(listing.body).toEqual({
      root_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
      files: [
        { path: "model", is_dir: true },
        { path: "notes.txt", is_dir: false, file_size: 5 },
      ],
    });
    expect((await ml.get("artifacts/list", { run_id: runId, path: "model" })).body.files).toEqual([{ path: "model/weights.json", is_dir: false, file_size: 11 }]);
    expect((await ml.listArtifacts(`${experimentId}/${runId}/artifacts/model`)).body).toEqual({ files: [{ path: "weights.json", is_dir: false, file_size: 11 }] });

    const run = (await ml.get("runs/get", { run_id: runId })).body.run;
    expect(run.data.params).toEqual([{ key: "layers", value: "3" }, { key: "lr", value: "0.01" }]);
    expect(run.data.tags).toEqual(expect.arrayContaining([{ key: "stage", value: "test" }, { key: "owner", value: "ada" }]));
    expect(run.data.metrics).toEqual(
      expect.arrayContaining([
        { key: "auc", value: 0.93, timestamp: 1_700_000_000_200, step: 1 },
        { key: "loss", value: 1 / 50, timestamp: 1_700_000_000_049, step: 49 },
        { key: "odd", value: "NaN", timestamp: 1, step: 0 },
      ]),
    );

    const history = await ml.get("metrics/get-history", { run_id: runId, metric_key: "loss" });
    expect(history.body.metrics).toHaveLength(50);
    expect(history.body.metrics[0]).toEqual({ key: "loss", value: 1, timestamp: 1_700_000_000_000, step: 0 });
    const page = await ml.get("metrics/get-history", { run_id: runId, metric_key: "loss", max_results: "20" });
    expect(page.body.metrics).toHaveLength(20);
    const rest = await ml.get("metrics/get-history", { run_id: runId, metric_key: "loss", max_results: "40", page_token: page.body.next_page_token });
    expect(rest.body.metrics).toHaveLength(30);
    expect(rest.body).not.toHaveProperty("next_page_token");

    const found = await ml.post("runs/search", { experiment_ids: [experimentId], filter: "metrics.auc > 0.92 and params.lr = '0.01' and tags.stage LIKE 't%' and attributes.status = 'RUNNING'" });
    expect(found.status).toBe(200);
    expect(found.body.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId]);
    const none = await ml.post("runs/search", { experiment_ids: [experimentId], filter: "metrics.auc > 0.95" });
    expect(none.body).toEqual({});

    const finished = await ml.post("runs/update", { run_id: runId, status: "FINISHED", end_time: 1_700_000_001_000 });
    expect(finished.body.run_info).toMatchObject({ run_id: runId, status: "FINISHED", end_time: 1_700_000_001_000 });
    expect((await ml.get("runs/get", { run_id: runId })).body.run.info.status).toBe("FINISHED");
  });
});
