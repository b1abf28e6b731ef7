import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createFsArtifactStore } from "@gantry/api/artifacts";
import type { OrgContext } from "@gantry/api/jobs";
import { getJob, listJobLogs, submitTrainingJob } from "@gantry/api/jobs";
import { aliasHistory, getModelVersion, resolveModelUri } from "@gantry/api/registry";
import { getRun } from "@gantry/api/tracking";
import { binaryCsv, createOrgFixture, fixtureContext, uploadCsvDataset } from "@gantry/api/testing";
import type { OrgFixture } from "@gantry/api/testing";
import { createTestDatabase } from "@gantry/db/testing";
import { loadPipeline, selectBackend } from "@gantry/ml";
import type { TrainingSpecInput } from "@gantry/schema";

import type { TrainingDeps } from "./execute";
import { runTrainingJob } from "./execute";

const tdb = await createTestDatabase();
const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-train-register-")));
let org: OrgFixture;
let ctx: OrgContext;
let backend = "";

beforeAll(async () => {
  backend = (await selectBackend()).name;
  org = await createOrgFixture(tdb.db, "train-register");
  ctx = fixtureContext(tdb.db, org);
  await uploadCsvDataset(ctx, store, "toy", binaryCsv({ rows: 120 }));
});
afterAll(() => tdb.drop());

const deps = (over: Partial<TrainingDeps> = {}): TrainingDeps => ({ db: tdb.db, store, workerId: "test-worker", staleMs: 10_000, heartbeatMs: 100, backend, log: () => {}, ...over });
const spec = (over: Partial<TrainingSpecInput> = {}): TrainingSpecInput => ({
  dataset: { name: "toy" },
  target: "label",
  epochs: 2,
  batchSize: 32,
  learningRate: 0.05,
  model: { hiddenLayers: [4] },
  experiment: "Registry tests",
  ...over,
});

describe("training with `register`", () => {
  it("registers each successful run as the next version and moves the alias, with history", async () => {
    const first = await submitTrainingJob(ctx, spec({ register: { model: "toy-classifier", alias: "champion" } }));
    expect(await runTrainingJob(deps(), first.id)).toBe("succeeded");
    const done = await getJob(ctx, first.id);
    expect(done.result).toMatchObject({ registered: { model: "toy-classifier", version: 1, alias: "champion" } });

    const v1 = await resolveModelUri(ctx, "models:/toy-classifier@champion");
    expect(v1).toMatchObject({ version: 1, sourceRunId: done.runId, status: "ready", aliases: ["champion"], createdBy: org.users.owner.id });
    expect(v1.datasetVersionId).not.toBeNull();
    expect(v1.signature?.inputs.map((i) => i.name).sort()).toEqual(["color", "x1", "x2"]);
    expect(v1.metrics.test_accuracy).toBeGreaterThan(0);
    // The version's sha256 is the trained pipeline itself.
    const pipeline = await loadPipeline(new Uint8Array(await buffer(await store.get(v1.pipelineSha256))));
    pipeline.dispose();
    const logs = (await listJobLogs(ctx, { jobId: first.id })).items.map((l) => l.message);
    expect(logs.at(-1)).toBe("Registered models:/toy-classifier/1 (alias champion)");

    const second = await submitTrainingJob(ctx, spec({ seed: 3, register: { model: "toy-classifier", alias: "champion" } }));
    expect(await runTrainingJob(deps(), second.id)).toBe("succeeded");
    expect((await getJob(ctx, second.id)).result).toMatchObject({ registered: { model: "toy-classifier", version: 2 } });
    expect((await resolveModelUri(ctx, "models:/toy-classifier@champion")).version).toBe(2);
    expect((await getModelVersion(ctx, "toy-classifier", 1)).aliases).toEqual([]);
    const history = await aliasHistory(ctx, { name: "toy-classifier", alias: "champion" });
    expect(history.map((h) => [h.fromVersion, h.toVersion, h.reason])).toEqual([
      [1, 2, `training job ${second.id}`],
      [null, 1, `training job ${first.id}`],
    ]);
  });

  it("registers without an alias, and refuses a reserved alias at submit", async () => {
    const job = await submitTrainingJob(ctx, spec({ register: { model: "plain" } }));
    expect(await runTrainingJob(deps(), job.id)).toBe("succeeded");
    expect((await resolveModelUri(ctx, "models:/plain/latest")).aliases).toEqual([]);
    await expect(submitTrainingJob(ctx, spec({ register: { model: "plain", alias: "latest" } }))).rejects.toMatchObject({ code: "INVALID_INPUT", field: "spec.register.alias" });
  });

  it("a registration that fails costs the registration, not the trained run: the job succeeds and its log says why", async () => {
    const job = await submitTrainingJob(ctx, spec({ register: { model: "unlucky", alias: "champion" } }));
    // The first read is the dataset; the second, the signature the registry reads.
    let reads = 0;
    const flaky = { ...store, get: (sha256: string) => (++reads === 1 ? store.get(sha256) : Promise.reject(new Error("store unreachable"))) };
    expect(await runTrainingJob(deps({ store: flaky }), job.id)).toBe("succeeded");
    const done = await getJob(ctx, job.id);
    expect(done.result).not.toHaveProperty("registered");
    expect((await getRun(ctx, done.runId ?? "")).info.status).toBe("FINISHED");
    const last = (await listJobLogs(ctx, { jobId: job.id })).items.at(-1);
    expect(last).toMatchObject({ level: "warn", message: expect.stringMatching(/^Not registered as model 'unlucky': .*store unreachable/) });
    // The savepoint took the model it had created with it.
    await expect(resolveModelUri(ctx, "models:/unlucky/latest")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
