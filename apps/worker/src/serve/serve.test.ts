import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { revokeApiKey } from "@gantry/api/services";
import { deploy, pauseEndpoint, resumeEndpoint, rollback, updateEndpoint } from "@gantry/api/serving";
import { until } from "@gantry/api/testing";
import { sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import type { Prediction } from "@gantry/ml";

import type { ServeFixture } from "./testing";
import { createServeFixture, startTestServer } from "./testing";

/* The serving port end to end: real database, real trained pipelines, real HTTP. */

const tdb = await createTestDatabase();
let f: ServeFixture;
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  f = await createServeFixture(tdb.db, "serve");
  server = await startTestServer(tdb.db, f.store, { url: tdb.url });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await tdb.drop();
});

const wait = (check: () => boolean | Promise<boolean>, what = "the server to catch up") => until(async () => check(), Boolean, what, 60_000, 50);
const key = () => f.org.keys.predict.secret;
const post = (path: string, body: unknown, auth: string | null = key(), headers: Record<string, string> = {}) =>
  fetch(`${server.base}/orgs/${f.org.slug}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const get = (path: string, auth: string | null = key()) => fetch(`${server.base}/orgs/${f.org.slug}${path}`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });

/** What a classifier prediction looks like in the TFS row answer. */
const asServed = (p: Prediction, labels: string[]) => ("label" in p ? { label: p.label, probabilities: labels.map((l) => p.probabilities[l]) } : p.value);

describe("TensorFlow Serving and Open Inference routes", () => {
  it("answers exactly what the registered version predicted at training time, in both protocols and both TFS formats", async () => {
    const [v1] = f.trained;
    const rows = f.rows(v1);
    const labels = v1.signature.labels ?? [];
    const expected = v1.sample.predictions.map((p) => asServed(p, labels));

    const tfs = await post("/v1/models/scorer-api:predict", { instances: rows });
    expect(tfs.status).toBe(200);
    const body = (await tfs.json()) as { predictions: unknown[]; model_version: string; variant: string; request_id: string };
    expect(body.predictions).toEqual(expected);
    expect(body).toMatchObject({ model_name: "scorer", model_version: "1", variant: "default" });
    expect(tfs.headers.get("x-request-id")).toBe(body.request_id);
    expect(tfs.headers.get("x-gantry-model-version")).toBe("1");
    expect(tfs.headers.get("x-gantry-variant")).toBe("default");

    const names = v1.signature.inputs.map((i) => i.name);
    const columns = Object.fromEntries(names.map((n) => [n, rows.map((r) => r[n] ?? null)]));
    const columnar = (await (await post("/v1/models/scorer-api:predict", { inputs: columns })).json()) as { outputs: { label: string[]; probabilities: number[][] } };
    expect(columnar.outputs.label).toEqual(expected.map((e) => (e as { label: string }).label));
    expect(columnar.outputs.probabilities).toEqual(expected.map((e) => (e as { probabilities: number[] }).probabilities));

    const types: Record<string, string> = { numeric: "FP64", categorical: "BYTES", boolean: "BOOL", text: "BYTES" };
    const inputs = v1.signature.inputs.map((i) => ({ name: i.name, datatype: types[i.type], shape: [rows.length], data: rows.map((r) => r[i.name] ?? null) }));
    const oip = await post("/v2/models/scorer-api/infer", { id: "my-request", inputs });
    expect(oip.status).toBe(200);
    const answer = (await oip.json()) as { id: string; model_name: string; model_version: string; outputs: { name: string; shape: number[]; data: unknown[] }[]; parameters: Record<string, unknown> };
    expect(answer).toMatchObject({ id: "my-request", model_name: "scorer-api", model_version: "1", parameters: { variant: "default", model: "scorer" } });
    const byName = Object.fromEntries(answer.outputs.map((o) => [o.name, o]));
    expect(byName.label?.data).toEqual(columnar.outputs.label);
    expect(byName.probabilities?.shape).toEqual([rows.length, labels.length]);
    expect(byName.probabilities?.data).toEqual(columnar.outputs.probabilities.flat());
    const only = (await (await post("/v2/models/scorer-api/infer", { inputs, outputs: [{ name: "label" }] })).json()) as { outputs: { name: string }[] };
    expect(only.outputs.map((o) => o.name)).toEqual(["label"]);
  });

  it("reports status, metadata, readiness and health", async () => {
    expect(await (await get("/v1/models/scorer-api")).json()).toEqual({ model_version_status: [{ version: "1", state: "AVAILABLE", status: { error_code: "OK", error_message: "" } }] });
    const tfsMeta = (await (await get("/v1/models/scorer-api/metadata")).json()) as { model_spec: { version: string }; metadata: { signature_def: { signature_def: { serving_default: { inputs: Record<string, unknown> } } } } };
    expect(tfsMeta.model_spec.version).toBe("1");
    expect(Object.keys(tfsMeta.metadata.signature_def.signature_def.serving_default.inputs).sort()).toEqual(f.trained[0].signature.inputs.map((i) => i.name).sort());
    const meta = (await (await get("/v2/models/scorer-api")).json()) as { name: string; versions: string[]; inputs: { name: string; datatype: string; shape: number[] }[]; outputs: { name: string }[] };
    expect(meta).toMatchObject({ name: "scorer-api", versions: ["1"], platform: "tensorflowjs" });
    expect(meta.inputs.find((i) => i.name === "x1")).toMatchObject({ datatype: "FP64", shape: [-1] });
    expect(meta.outputs.map((o) => o.name)).toEqual(["label", "probabilities"]);
    expect((await get("/v2/models/scorer-api/ready")).status).toBe(200);
    expect(await (await get("/v2/health/live", null)).json()).toEqual({ live: true });
    expect((await get("/v2/health/ready", null)).status).toBe(200);
    expect((await get("/v1/models/scorer-api/versions/7")).status).toBe(404);
  });

  it("tolerates NaN and Infinity tokens as TensorFlow Serving does: NaN is a missing value, Infinity a bad one", async () => {
    const row = f.rows(f.trained[0])[0] ?? {};
    const text = JSON.stringify({ instances: [{ ...row, x2: "__NAN__" }] }).replace('"__NAN__"', "NaN");
    expect((await post("/v1/models/scorer-api:predict", text)).status).toBe(200);
    const inf = await post("/v1/models/scorer-api:predict", JSON.stringify({ instances: [{ ...row, x1: "__INF__" }] }).replace('"__INF__"', "-Infinity"));
    expect(inf.status).toBe(400);
    expect(((await inf.json()) as { error: string }).error).toMatch(/instances\[0\]\.x1 must be a finite number/);
  });
});

describe("bad inputs: a 4xx that names the problem, never a 500", () => {
  const row = () => ({ ...(f.rows(f.trained[0])[0] ?? {}) });
  const cases: [string, () => [string, unknown], RegExp][] = [
    ["missing column", () => ["/v1/models/scorer-api:predict", { instances: [row(), (({ x1: _, ...rest }) => rest)(row())] }], /instances\[1\]: missing input 'x1'/],
    ["wrong type", () => ["/v1/models/scorer-api:predict", { instances: [{ ...row(), x1: "abc" }] }], /instances\[0\]\.x1 must be a finite number, got "abc"/],
    ["nested value", () => ["/v1/models/scorer-api:predict", { instances: [{ ...row(), x1: [1] }] }], /instances\[0\]\.x1 must be a single value/],
    ["extra column", () => ["/v1/models/scorer-api:predict", { instances: [{ ...row(), surprise: 1 }] }], /unknown input 'surprise'/],
    ["empty instances", () => ["/v1/models/scorer-api:predict", { instances: [] }], /"instances" is empty/],
    ["both formats", () => ["/v1/models/scorer-api:predict", { instances: [row()], inputs: {} }], /exactly one of "instances"/],
    ["malformed JSON", () => ["/v1/models/scorer-api:predict", '{"instances": [{"x1": 1,}'], /not valid JSON/],
    ["ragged columns", () => ["/v1/models/scorer-api:predict", { inputs: { x1: [1, 2], x2: [1] } }], /inputs\.x2 has 1 values but the other inputs have 2/],
    ["OIP unknown input", () => ["/v2/models/scorer-api/infer", { inputs: [{ name: "nope", datatype: "FP64", shape: [1], data: [1] }] }], /unknown input 'nope'/],
    ["OIP wrong shape", () => ["/v2/models/scorer-api/infer", { inputs: [{ name: "x1", datatype: "FP64", shape: [2], data: [1] }] }], /needs 2 values, data has 1/],
    ["OIP wrong datatype", () => ["/v2/models/scorer-api/infer", { inputs: [{ name: "x1", datatype: "BYTES", shape: [1], data: ["a"] }] }], /datatype "BYTES" does not fit the numeric input 'x1'/],
    ["OIP missing input", () => ["/v2/models/scorer-api/infer", { inputs: [{ name: "x2", datatype: "FP64", shape: [1], data: [1] }] }], /missing input 'x1'/],
    ["OIP no inputs", () => ["/v2/models/scorer-api/infer", { inputs: [] }], /non-empty list of tensors/],
  ];
  it.each(cases)("%s", async (_name, make, message) => {
    const [path, body] = make();
    const response = await post(path, body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });

  it("refuses a body over the limit with 413, and an unknown route or method with 404/405", async () => {
    const big = JSON.stringify({ instances: Array.from({ length: 20_000 }, () => row()) });
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const response = await post("/v1/models/scorer-api:predict", big);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toMatch(/limit/);
    expect((await get("/v1/models/scorer-api:predict")).status).toBe(405);
    expect((await get("/v9/nothing")).status).toBe(404);
  });
});

describe("who may call", () => {
  const rows = () => f.rows(f.trained[0]).slice(0, 2);
  it("another org's key gets 404, a key without predict 403, no key 401, a public endpoint answers anyone", async () => {
    const other = await post("/v1/models/scorer-api:predict", { instances: rows() }, f.other.keys.all.secret);
    expect(other.status).toBe(404);
    // The same answer as for an endpoint that does not exist: nothing says org A has one of that name.
    expect(await other.json()).toEqual({ error: "Servable not found for request: Latest(scorer-api)" });
    expect((await post("/v2/models/scorer-api/infer", { inputs: [] }, f.other.keys.all.secret)).status).toBe(404);
    expect((await get("/v2/models/scorer-api", f.other.keys.all.secret)).status).toBe(404);
    expect((await post("/v1/models/scorer-api:predict", { instances: rows() }, f.org.keys.read.secret)).status).toBe(403);
    expect((await post("/v1/models/scorer-api:predict", { instances: rows() }, null)).status).toBe(401);
    expect((await post("/v1/models/scorer-api:predict", { instances: rows() }, "gky_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).status).toBe(401);
    expect((await post("/v1/models/no-such-endpoint:predict", { instances: rows() })).status).toBe(404);

    await updateEndpoint(f.ctx, { name: "scorer-api", auth: "public" });
    await wait(async () => (await post("/v1/models/scorer-api:predict", { instances: rows() }, null)).status === 200);
    // Feedback on a public endpoint still needs a key.
    expect((await post("/v1/endpoints/scorer-api/feedback", { feedback: [{ request_id: "r", label: "yes" }] }, null)).status).toBe(401);
    await updateEndpoint(f.ctx, { name: "scorer-api", auth: "key" });
    await wait(async () => (await post("/v1/models/scorer-api:predict", { instances: rows() }, null)).status === 401);
  });

  it("a revoked key stops working within the cache's TTL", async () => {
    const { key, secret } = await (await import("@gantry/api/services")).createApiKey(f.ctx, { name: "short-lived", scopes: ["predict"] });
    expect((await post("/v1/models/scorer-api:predict", { instances: rows() }, secret)).status).toBe(200);
    await revokeApiKey(f.ctx, { id: key.id });
    await wait(async () => (await post("/v1/models/scorer-api:predict", { instances: rows() }, secret)).status === 401);
  });
});

describe("deployments", () => {
  const rows = () => f.rows(f.trained[0]).slice(0, 3);
  const version = async () => ((await (await post("/v1/models/scorer-api:predict", { instances: rows() })).json()) as { model_version: string }).model_version;

  it("deploying v2 under load fails no request and switches the answers; a rollback returns to v1", async () => {
    let stop = false;
    const statuses: number[] = [];
    const seen = new Set<string>();
    const loop = async () => {
      while (!stop) {
        const response = await post("/v1/models/scorer-api:predict", { instances: rows() });
        statuses.push(response.status);
        seen.add(((await response.json()) as { model_version: string }).model_version);
      }
    };
    const loops = Array.from({ length: 4 }, loop);
    await wait(() => statuses.length > 20);
    await deploy(f.ctx, "scorer-api", { model: "models:/scorer/2", reason: "v2" });
    await wait(() => seen.has("2"));
    const after = statuses.length;
    await wait(() => statuses.length > after + 20);
    stop = true;
    await Promise.all(loops);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await version()).toBe("2");

    const v2 = f.trained[1];
    const served = (await (await post("/v1/models/scorer-api:predict", { instances: f.rows(v2) })).json()) as { predictions: unknown[] };
    expect(served.predictions).toEqual(v2.sample.predictions.map((p) => asServed(p, v2.signature.labels ?? [])));

    await rollback(f.ctx, "scorer-api", { revision: 1 });
    await wait(async () => (await version()) === "1");
  });

  it("a paused endpoint answers 503 until resumed", async () => {
    await pauseEndpoint(f.ctx, "scorer-api");
    await wait(async () => (await post("/v1/models/scorer-api:predict", { instances: rows() })).status === 503);
    expect(((await (await get("/v1/models/scorer-api")).json()) as { model_version_status: { state: string }[] }).model_version_status[0]?.state).toBe("END");
    await resumeEndpoint(f.ctx, "scorer-api");
    await wait(async () => (await post("/v1/models/scorer-api:predict", { instances: rows() })).status === 200);
  });
});

describe("prediction log, feedback and metrics", () => {
  it("logs every row of every answered request, takes feedback for it, and counts it in /metrics", async () => {
    const rows = f.rows(f.trained[0]).slice(0, 5);
    const response = await post("/v1/models/scorer-api:predict", { instances: rows }, key(), { "x-unit-id": "user-42" });
    const requestId = response.headers.get("x-request-id") ?? "";
    const answer = (await response.json()) as { predictions: { label: string }[] };
    await wait(async () => {
      const [row] = (await tdb.db.execute(sql`select count(*)::int as n from prediction_log where request_id = ${requestId}`)) as unknown as { n: number }[];
      return row?.n === 5;
    });
    const logged = (await tdb.db.execute(sql`select row_index, unit_id, features, outputs, status, variant from prediction_log where request_id = ${requestId} order by row_index`)) as unknown as {
      row_index: number;
      unit_id: string;
      features: Record<string, unknown>;
      outputs: { label: string };
      status: number;
      variant: string;
    }[];
    expect(logged.map((l) => l.outputs.label)).toEqual(answer.predictions.map((p) => p.label));
    expect(logged[2]).toMatchObject({ row_index: 2, unit_id: "user-42", status: 200, variant: "default", features: rows[2] });

    const feedback = await post("/v1/endpoints/scorer-api/feedback", { feedback: [{ request_id: requestId, row: 0, label: "yes" }, { request_id: requestId, row: 1, reward: 1 }] });
    expect(feedback.status).toBe(200);
    expect(await feedback.json()).toEqual({ accepted: 2 });
    expect((await post("/v1/endpoints/scorer-api/feedback", { feedback: [{ request_id: requestId, row: 0, label: "no" }] }, f.other.keys.all.secret)).status).toBe(404);
    const bad = await post("/v1/endpoints/scorer-api/feedback", { feedback: [{ request_id: requestId }] });
    expect(bad.status).toBe(400);

    const metrics = await (await fetch(`${server.base}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`gantry_prediction_requests_total\\{org="${f.org.slug}",endpoint="scorer-api",variant="default",status="200"\\} \\d+`));
    expect(metrics).toContain("gantry_prediction_duration_seconds_bucket");
  });
});
