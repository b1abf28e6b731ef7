import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import type { OrgFixture } from "../testing";
import { bearer, createOrgFixture, mlflowClient, startApiServer } from "../testing";

const tdb = await createTestDatabase();
let server: Awaited<ReturnType<typeof startApiServer>>;
let a: OrgFixture;
let b: OrgFixture;
beforeAll(async () => {
  server = await startApiServer(tdb.db, tdb.sql);
  a = await createOrgFixture(tdb.db, "models-a");
  b = await createOrgFixture(tdb.db, "models-b");
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

const call = (key: string, method: string, path: string, body?: unknown) =>
  fetch(`${server.url}/api/2.0/mlflow/${path}`, { method, headers: { authorization: bearer(key), "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  }));

describe("MLflow 3 logged models", () => {
  it("are created, get artifacts, are finalized, searched, tagged and deleted, as log_model does", async () => {
    const key = a.keys.all.secret;
    const created = await call(key, "POST", "logged-models", { experiment_id: a.experiment.id, name: "clf", model_type: "tfjs", source_run_id: a.run.info.id, params: [{ key: "alpha", value: "1" }], tags: [{ key: "flavor", value: "tfjs" }] });
    expect(created.status).toBe(200);
    const info = created.body.model.info;
    expect(info).toMatchObject({ experiment_id: a.experiment.id, name: "clf", status: "LOGGED_MODEL_PENDING", source_run_id: a.run.info.id, model_type: "tfjs", tags: [{ key: "flavor", value: "tfjs" }] });
    expect(created.body.model.data.params).toEqual([{ key: "alpha", value: "1" }]);
    expect(info.artifact_uri).toBe(`mlflow-artifacts:/${a.experiment.id}/models/${info.model_id}/artifacts`);

    const ml = mlflowClient(server.url, bearer(key));
    expect((await ml.putArtifact(`${a.experiment.id}/models/${info.model_id}/artifacts/MLmodel`, "flavors: {}")).status).toBe(200);
    const dirs = await call(key, "GET", `logged-models/${info.model_id}/artifacts/directories`);
    expect(dirs.body.files).toEqual([{ path: "MLmodel", is_dir: false, file_size: 11 }]);

    const ready = await call(key, "PATCH", `logged-models/${info.model_id}`, { status: "LOGGED_MODEL_READY" });
    expect(ready.body.model.info.status).toBe("LOGGED_MODEL_READY");
    expect((await call(key, "PATCH", `logged-models/${info.model_id}`, { status: "DONE" })).status).toBe(400);

    expect((await call(key, "PATCH", `logged-models/${info.model_id}/tags`, { tags: [{ key: "stage", value: "eval" }] })).status).toBe(200);
    expect((await call(key, "DELETE", `logged-models/${info.model_id}/tags/flavor`)).status).toBe(200);
    expect((await call(key, "POST", `logged-models/${info.model_id}/params`, { params: [{ key: "beta", value: "2" }] })).status).toBe(200);
    const got = await call(key, "GET", `logged-models/${info.model_id}`);
    expect(got.body.model.info.tags).toEqual([{ key: "stage", value: "eval" }]);
    expect(got.body.model.data.params).toEqual([{ key: "alpha", value: "1" }, { key: "beta", value: "2" }]);

    expect((await call(key, "POST", "runs/outputs", { run_id: a.run.info.id, models: [{ model_id: info.model_id, step: 3 }] })).status).toBe(200);
    const run = await call(key, "GET", `runs/get?run_id=${a.run.info.id}`);
    expect(run.body.run.data.tags).toContainEqual({ key: "mlflow.loggedModels.outputs", value: JSON.stringify([{ model_id: info.model_id, step: 3 }]) });
    expect((await call(b.keys.all.secret, "POST", "runs/outputs", { run_id: b.run.info.id, models: [{ model_id: info.model_id }] })).status).toBe(404);

    const found = await call(key, "POST", "logged-models/search", { experiment_ids: [a.experiment.id] });
    expect(found.body.models.map((m: { info: { model_id: string } }) => m.info.model_id)).toEqual([info.model_id]);

    // Another org's key sees none of it and changes nothing.
    const intruder = b.keys.all.secret;
    expect((await call(intruder, "GET", `logged-models/${info.model_id}`)).body).toMatchObject({ error_code: "RESOURCE_DOES_NOT_EXIST" });
    expect((await call(intruder, "PATCH", `logged-models/${info.model_id}`, { status: "LOGGED_MODEL_UPLOAD_FAILED" })).status).toBe(404);
    expect((await call(intruder, "DELETE", `logged-models/${info.model_id}`)).status).toBe(404);
    expect((await call(intruder, "GET", `logged-models/${info.model_id}/artifacts/directories`)).status).toBe(404);
    expect((await mlflowClient(server.url, bearer(intruder)).getArtifact(`${a.experiment.id}/models/${info.model_id}/artifacts/MLmodel`)).status).toBe(404);
    expect((await call(intruder, "POST", "logged-models/search", { experiment_ids: [a.experiment.id] })).body).toEqual({});
    expect((await call(intruder, "POST", "logged-models", { experiment_id: a.experiment.id })).status).toBe(404);
    expect((await call(key, "GET", `logged-models/${info.model_id}`)).body.model.info.status).toBe("LOGGED_MODEL_READY");

    expect((await call(key, "DELETE", `logged-models/${info.model_id}`)).status).toBe(200);
    expect((await call(key, "GET", `logged-models/${info.model_id}`)).status).toBe(404);
  });
});
