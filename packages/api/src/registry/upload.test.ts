import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { and, eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { loadPipeline } from "@gantry/ml";
import { auditEvents, GantryError } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import type { OrgFixture } from "../testing";
import { createOrgFixture, fixtureContext } from "../testing";
import type { TfjsModelFiles } from "../testing/tfjs-model";
import { tinyModelSignature, tinyTfjsModel } from "../testing/tfjs-model";
import { listModelVersions, registerUploadedModel, resolveModelUri } from ".";

const tdb = await createTestDatabase();
let org: OrgFixture;
let other: OrgFixture;
let ctx: OrgContext;
let store: ArtifactStore;
let files: TfjsModelFiles;

beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "registry-upload");
  other = await createOrgFixture(tdb.db, "registry-upload-other");
  ctx = fixtureContext(tdb.db, org);
  store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-upload-")));
  files = await tinyTfjsModel();
});
afterAll(() => tdb.drop());

describe("registerUploadedModel", () => {
  it("wraps the model, stores the pipeline and registers a ready version without run or dataset", async () => {
    const v = await registerUploadedModel(ctx, store, { name: "uploaded", ...files, signature: tinyModelSignature, description: "from a notebook" });
    expect(v).toMatchObject({ name: "uploaded", version: 1, sourceRunId: null, datasetVersionId: null, metrics: {}, status: "ready", description: "from a notebook", aliases: [] });
    expect(v.signature).toEqual({
      inputs: tinyModelSignature.inputs.map((i) => ({ ...i, required: true })),
      task: "binary",
      target: "prediction",
      labels: ["no", "yes"],
    });
    expect(v.createdBy).toBe(org.users.owner.id);
    const bytes = await buffer(await store.get(v.pipelineSha256));
    expect(bytes.length).toBe(v.pipelineSize);
    const loaded = await loadPipeline(new Uint8Array(bytes));
    const [p] = loaded.predict([{ a: 1, b: 2, on: true }]);
    expect(p).toMatchObject({ label: expect.stringMatching(/^(no|yes)$/) as unknown });
    loaded.dispose();

    const [audit] = await tdb.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.org.id), eq(auditEvents.action, "model.version.create"), eq(auditEvents.targetId, v.id)));
    expect(audit?.data).toMatchObject({ name: "uploaded", version: 1, source: "upload", modelCreated: true });

    const again = await registerUploadedModel(ctx, store, { name: "uploaded", ...files, signature: tinyModelSignature });
    expect(again.version).toBe(2);
    expect(again.pipelineSha256).toBe(v.pipelineSha256);
    expect((await resolveModelUri(ctx, "models:/uploaded/latest")).version).toBe(2);
  });

  it("refuses a bad signature or model before anything is written", async () => {
    const attempts = [
      registerUploadedModel(ctx, store, { name: "refused", ...files, signature: { ...tinyModelSignature, inputs: [{ name: "a", type: "categorical" }] } }),
      registerUploadedModel(ctx, store, { name: "refused", ...files, signature: { ...tinyModelSignature, task: "multiclass", labels: ["a", "b", "c"] } }),
      registerUploadedModel(ctx, store, { name: "refused", modelJson: { nope: true }, weights: files.weights, signature: tinyModelSignature }),
      registerUploadedModel(ctx, store, { name: "no spaces allowed?", ...files, signature: tinyModelSignature }),
    ];
    const fields = [];
    for (const attempt of attempts) {
      const error = await attempt.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(GantryError);
      expect((error as GantryError).code).toBe("INVALID_INPUT");
      fields.push((error as GantryError).field);
    }
    expect(fields).toEqual(["signature", "model", "model", "name"]);
    await expect(listModelVersions(ctx, "refused")).rejects.toThrow(/No registered model/);
  });

  it("registers into the caller's org only", async () => {
    const v = await registerUploadedModel(fixtureContext(tdb.db, other), store, { name: "uploaded", ...files, signature: tinyModelSignature });
    expect(v.version).toBe(1);
    expect((await listModelVersions(ctx, "uploaded")).map((x) => x.version)).toEqual([2, 1]);
  });
});
