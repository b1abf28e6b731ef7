import { createHash } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { count, eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { datasets, datasetVersions, runInputs } from "@gantry/schema";

import type { OrgFixture } from "../testing";
import { bearer, createOrgFixture, mlflowClient, startApiServer } from "../testing";

const tdb = await createTestDatabase();
let server: Awaited<ReturnType<typeof startApiServer>>;
let small: Awaited<ReturnType<typeof startApiServer>>;
let a: OrgFixture;
let b: OrgFixture;
beforeAll(async () => {
  server = await startApiServer(tdb.db, tdb.sql);
  small = await startApiServer(tdb.db, tdb.sql, { datasetMaxBytes: 2048 });
  a = await createOrgFixture(tdb.db, "http-datasets-a");
  b = await createOrgFixture(tdb.db, "http-datasets-b");
});
afterAll(async () => {
  await server.close();
  await small.close();
  await tdb.drop();
});

type Body = { version?: { id: string; version: number; sha256: string; rowCount: number; description: string | null; fileName: string | null; columns: { name: string; type: string }[] }; duplicate?: boolean; ignoredFields?: string[]; error?: { code: string; message: string; field: string | null } };

const CSV = "city,temp,rain\nOslo,4.5,yes\nRome,18,no\nLima,21.25,no\n";
const sha256 = (bytes: string | Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

async function post(name: string, body: RequestInit["body"], headers: Record<string, string>, query = "", base = server.url) {
  const response = await fetch(`${base}/api/v1/datasets/${name}/versions${query}`, { method: "POST", body, headers, duplex: "half" } as RequestInit);
  return { status: response.status, body: (await response.json()) as Body };
}
const raw = (name: string, csv: string, key = a.keys.all.secret, query = "") => post(name, csv, { ...auth(key), "content-type": "text/csv" }, query);

async function rowCounts() {
  const [d] = await tdb.db.select({ n: count() }).from(datasets);
  const [v] = await tdb.db.select({ n: count() }).from(datasetVersions);
  return [d?.n, v?.n];
}

describe("POST /api/v1/datasets/{name}/versions", () => {
  it("takes a raw CSV body: 201 with the version, then 200 with duplicate: true for the same bytes", async () => {
    const query = `?description=${encodeURIComponent("Weather")}&fileName=weather.csv&columnTypes=${encodeURIComponent(JSON.stringify({ temp: "numeric" }))}`;
    const first = await raw("weather", CSV, a.keys.all.secret, query);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ duplicate: false, version: { version: 1, sha256: sha256(CSV), rowCount: 3, description: "Weather", fileName: "weather.csv" } });
    expect(first.body.version?.columns.map((c) => c.type)).toEqual(["categorical", "numeric", "boolean"]);
    const again = await raw("weather", CSV);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, version: { id: first.body.version?.id, version: 1 } });
  });

  it("streams a request body sent with duplex: half", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},${i % 7},label-${i % 3}\n`);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("n,m,label\n"));
        for (let i = 0; i < rows.length; i += 1000) controller.enqueue(new TextEncoder().encode(rows.slice(i, i + 1000).join("")));
        controller.close();
      },
    });
    const { status, body } = await post("streamed", stream, { ...auth(a.keys.all.secret), "content-type": "application/octet-stream" });
    expect(status).toBe(201);
    expect(body.version).toMatchObject({ rowCount: 20_000, sha256: sha256("n,m,label\n" + rows.join("")) });
  });

  it("takes multipart/form-data with the fields before the file", async () => {
    const form = new FormData();
    form.append("description", "From a form");
    form.append("columnTypes", JSON.stringify({ rain: "text" }));
    form.append("file", new Blob([CSV.replace("Oslo", "Bergen")], { type: "text/csv" }), "weather-2.csv");
    form.append("late", "too late");
    const { status, body } = await post("weather", form, auth(a.keys.all.secret));
    expect(status).toBe(201);
    expect(body).toMatchObject({ duplicate: false, ignoredFields: ["late"], version: { version: 2, description: "From a form", fileName: "weather-2.csv" } });
    expect(body.version?.columns.find((c) => c.name === "rain")).toEqual({ name: "rain", type: "text", inferredType: "boolean" });
  });

  it.each([
    ["an empty body", () => raw("bad", ""), "file", /The file is empty/],
    ["a header only", () => raw("bad", "a,b\n"), "file", /0 rows/],
    ["a ragged row", () => raw("bad", "a,b\n1,2\n3\n"), "file", /Row 2 has 1 field; the header has 2/],
    ["a duplicate column", () => raw("bad", "a,a\n1,2\n"), "file", /appears twice/],
    ["a bad name", () => raw("no%20spaces", CSV), "name", /name must be/],
    ["a value that does not fit its type", () => raw("bad", "a,b\n1,abc\n", a.keys.all.secret, `?columnTypes=${encodeURIComponent('{"b":"numeric"}')}`), "columnTypes.b", /row 1 has 'abc'/],
    ["columnTypes that are not JSON", () => raw("bad", CSV, a.keys.all.secret, "?columnTypes=temp:numeric"), "columnTypes", /JSON object/],
    ["an unknown type", () => raw("bad", CSV, a.keys.all.secret, `?columnTypes=${encodeURIComponent('{"temp":"float"}')}`), "columnTypes.temp", /type must be one of/],
    ["a JSON body", () => post("bad", "{}", { ...auth(a.keys.all.secret), "content-type": "application/json" }), "content-type", /text\/csv/],
    ["a ragged row in a form", () => post("bad", (() => { const f = new FormData(); f.append("file", new Blob([`a,b\n${"1,2\n".repeat(50_000)}3\n`]), "bad.csv"); return f; })(), auth(a.keys.all.secret)), "file", /Row 50001 has 1 field/],
    ["a form without a file", () => post("bad", (() => { const f = new FormData(); f.append("description", "x"); return f; })(), auth(a.keys.all.secret)), "file", /no 'file' part/],
    ["a file over the limit", () => post("bad", `a\n${"12345\n".repeat(1000)}`, { ...auth(a.keys.all.secret), "content-type": "text/csv" }, "", small.url), "file", /larger than the dataset limit of 2 KiB/],
  ])("answers 400 naming the field for %s, storing nothing", async (_label, call, field, message) => {
    const before = await rowCounts();
    const { status, body } = await call();
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: "INVALID_INPUT", field });
    expect(body.error?.message).toMatch(message);
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses a streamed body over the limit (no content-length) with 400", async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode("x\n1\n".repeat(200)));
      },
    });
    const { status, body } = await post("endless", stream, { ...auth(a.keys.all.secret), "content-type": "text/csv" }, "", small.url);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ field: "file", message: expect.stringContaining("GANTRY_MAX_DATASET_BYTES") });
  });

  it("streams a large multipart upload", async () => {
    const csv = `i,label\n${Array.from({ length: 200_000 }, (_, i) => `${i},l${i % 5}\n`).join("")}`;
    const form = new FormData();
    form.append("file", new Blob([csv]), "big.csv");
    const { status, body } = await post("big-form", form, auth(a.keys.all.secret));
    expect(status).toBe(201);
    expect(body.version).toMatchObject({ rowCount: 200_000, sha256: sha256(csv), fileName: "big.csv" });
  });

  it("needs a key with write scope (403), credentials (401), and keeps other orgs out (404)", async () => {
    const readOnly = await raw("weather", CSV + "Oulu,1,yes\n", a.keys.read.secret);
    expect(readOnly.status).toBe(403);
    expect(readOnly.body.error?.message).toMatch(/lacks the "write" scope/);
    expect((await post("weather", CSV, { "content-type": "text/csv" })).status).toBe(401);
    const intruder = await post("weather", CSV + "Oulu,1,yes\n", { ...auth(b.keys.all.secret), "x-gantry-org": a.slug, "content-type": "text/csv" });
    expect(intruder.status).toBe(404);
    expect(JSON.stringify(intruder.body)).not.toContain(a.org.id);
    // B uploading under the same name creates B's own dataset, not a version of A's.
    const own = await raw("weather", CSV + "Oulu,1,yes\n", b.keys.all.secret);
    expect(own.body.version).toMatchObject({ version: 1 });
    const weather = await a.withKey("read").dataset.get({ name: "weather" });
    expect(weather.versionCount).toBe(2);
  });
});

describe("GET /api/v1/datasets/{name}/versions/{version}/download", () => {
  const download = (path: string, key = a.keys.read.secret, headers: Record<string, string> = {}) => fetch(`${server.url}/api/v1/datasets/${path}`, { headers: { ...auth(key), ...headers } });

  it("streams the stored CSV back, byte for byte", async () => {
    const response = await download("weather/versions/1/download");
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(CSV));
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="weather.csv"/);
    expect(response.headers.get("x-content-sha256")).toBe(sha256(CSV));
    const latest = await download("weather/versions/latest/download");
    expect(latest.headers.get("x-dataset-version")).toBe("2");
    expect(latest.headers.get("content-disposition")).toMatch(/filename="weather-2.csv"/);
    await latest.arrayBuffer();
  });

  it("answers 404 for what does not exist or belongs to another org, 400 for a bad version", async () => {
    for (const [path, key, headers] of [
      ["weather/versions/9/download", a.keys.read.secret, {}],
      ["nothing/versions/1/download", a.keys.read.secret, {}],
      ["weather/versions/1/download", b.keys.all.secret, { "x-gantry-org": a.slug }],
    ] as const) {
      const response = await download(path, key, headers);
      expect(response.status, path).toBe(404);
      const text = await response.text();
      expect(text).not.toContain(sha256(CSV));
    }
    // B's own "weather" has one version: A's second version is not B's.
    expect((await download("weather/versions/2/download", b.keys.all.secret)).status).toBe(404);
    expect((await download("weather/versions/one/download")).status).toBe(400);
    expect((await download("weather/versions/1/download", a.keys.predict.secret)).status).toBe(403);
  });
});

describe("MLflow runs/log-inputs", () => {
  it("links an input whose digest is a prefix of a version's sha256", async () => {
    const mlflow = mlflowClient(server.url, bearer(a.keys.all.secret));
    const digest = sha256(CSV).slice(0, 8);
    const logged = await mlflow.post("runs/log-inputs", { run_id: a.run.info.id, datasets: [{ dataset: { name: "weather", digest, source_type: "local", source: "weather.csv" } }] });
    expect(logged.status).toBe(200);
    const [input] = await tdb.db.select().from(runInputs).where(eq(runInputs.runId, a.run.info.id));
    const v1 = await a.withKey("read").dataset.version({ name: "weather", version: 1 });
    expect(input?.datasetVersionId).toBe(v1.id);
    expect(await a.withKey("read").dataset.runs({ name: "weather", version: 1 })).toMatchObject([{ runId: a.run.info.id }]);
  });
});
