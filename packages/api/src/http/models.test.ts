import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import type { OrgFixture } from "../testing";
import { createOrgFixture, fixtureContext, startApiServer } from "../testing";
import type { TfjsModelFiles } from "../testing/tfjs-model";
import { tinyModelSignature, tinyTfjsModel } from "../testing/tfjs-model";
import { listModelVersions } from "../registry";

const tdb = await createTestDatabase();
let server: Awaited<ReturnType<typeof startApiServer>>;
let small: Awaited<ReturnType<typeof startApiServer>>;
let a: OrgFixture;
let b: OrgFixture;
let files: TfjsModelFiles;
beforeAll(async () => {
  files = await tinyTfjsModel();
  server = await startApiServer(tdb.db, tdb.sql);
  small = await startApiServer(tdb.db, tdb.sql, { artifactMaxBytes: 64 });
  a = await createOrgFixture(tdb.db, "http-models-a");
  b = await createOrgFixture(tdb.db, "http-models-b");
});
afterAll(async () => {
  await server.close();
  await small.close();
  await tdb.drop();
});

type Body = { version?: number; name?: string; sourceRunId?: string | null; status?: string; signature?: unknown; description?: string | null; error?: { code: string; message: string; field: string | null } };

function form(parts: { modelJson?: unknown; weights?: Uint8Array; signature?: unknown; description?: string } = {}) {
  const data = new FormData();
  const modelJson = "modelJson" in parts ? parts.modelJson : files.modelJson;
  const weights = "weights" in parts ? parts.weights : files.weights;
  const signature = "signature" in parts ? parts.signature : tinyModelSignature;
  if (modelJson !== undefined) data.append("model.json", new Blob([JSON.stringify(modelJson)], { type: "application/json" }), "model.json");
  if (weights !== undefined) data.append("weights", new Blob([weights]), "weights.bin");
  if (signature !== undefined) data.append("signature", typeof signature === "string" ? signature : JSON.stringify(signature));
  if (parts.description !== undefined) data.append("description", parts.description);
  return data;
}

async function upload(name: string, body: FormData, key: string, { base = server.url, org }: { base?: string; org?: string } = {}) {
  const response = await fetch(`${base}/api/v1/models/${name}/versions`, { method: "POST", body, headers: { authorization: `Bearer ${key}`, ...(org ? { "x-gantry-org": org } : {}) } });
  return { status: response.status, body: (await response.json()) as Body };
}

describe("POST /api/v1/models/{name}/versions", () => {
  it("registers an uploaded model: 201 with the version, the model created", async () => {
    const first = await upload("churn", form({ description: "notebook model" }), a.keys.all.secret);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: "churn", version: 1, sourceRunId: null, status: "ready", description: "notebook model", signature: { task: "binary", labels: ["no", "yes"] } });
    const second = await upload("churn", form(), a.keys.all.secret);
    expect(second.body.version).toBe(2);
  });

  it("needs the write scope: a read key gets 403", async () => {
    const response = await upload("churn", form(), a.keys.read.secret);
    expect(response.status).toBe(403);
    expect(response.body.error?.code).toBe("FORBIDDEN");
  });

  it("another org's key cannot upload into org A's model", async () => {
    const response = await upload("churn", form(), b.keys.all.secret, { org: a.org.slug });
    expect(response.status).toBe(404);
    // Without the header it uploads into its own org: org A's model is untouched.
    const own = await upload("churn", form(), b.keys.all.secret);
    expect(own.body.version).toBe(1);
    expect((await listModelVersions(fixtureContext(tdb.db, a), "churn")).map((v) => v.version)).toEqual([2, 1]);
  });

  it("answers 400 naming the field for a bad signature, a missing part or a model that does not fit", async () => {
    const cases = [
      [form({ signature: { inputs: [{ name: "a", type: "categorical" }], task: "binary" } }), "signature", /categorical inputs are not supported/],
      [form({ signature: "{not json" }), "signature", /not JSON/],
      [form({ signature: undefined }), "signature", /no 'signature'/],
      [form({ weights: undefined }), "weights", /no 'weights'/],
      [form({ modelJson: undefined }), "model.json", /no 'model.json'/],
      [form({ weights: files.weights.subarray(4) }), "weights", /manifest describes/],
      [form({ signature: { ...tinyModelSignature, task: "multiclass", labels: ["a", "b", "c"] } }), "model", /one output unit per label/],
    ] as const;
    for (const [body, field, message] of cases) {
      const response = await upload("bad", body, a.keys.all.secret);
      expect(response.status, String(message)).toBe(400);
      expect(response.body.error?.field).toBe(field);
      expect(response.body.error?.message).toMatch(message);
    }
    await expect(listModelVersions(fixtureContext(tdb.db, a), "bad")).rejects.toThrow(/No registered model/);
  });

  it("refuses an upload over GANTRY_ARTIFACT_MAX_BYTES", async () => {
    const response = await upload("big", form({ weights: new Uint8Array(4096) }), a.keys.all.secret, { base: small.url });
    expect([400, 413]).toContain(response.status);
    expect(response.body.error?.message).toMatch(/GANTRY_ARTIFACT_MAX_BYTES/);
  });
});
