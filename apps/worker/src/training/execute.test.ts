import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createFsArtifactStore } from "@gantry/api/artifacts";
import type { OrgContext, StoredTrainingSpec } from "@gantry/api/jobs";
import { attachTrainingRun, cancelJob, claimJob, getJob, leaseOf, listJobLogs, listJobs, recordTrainingEpoch, submitTrainingJob } from "@gantry/api/jobs";
import { binaryCsv, createOrgFixture, fixtureContext, until, uploadCsvDataset } from "@gantry/api/testing";
import type { OrgFixture } from "@gantry/api/testing";
import { getMetricHistory, getRun, getRunArtifact, listRunArtifacts } from "@gantry/api/tracking";
import { and, eq, sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import type { Prediction, Row } from "@gantry/ml";
import { loadPipeline, selectBackend } from "@gantry/ml";
import type { TrainingSpecInput } from "@gantry/schema";
import { jobs, runs, runTags } from "@gantry/schema";

import type { TrainingDeps } from "./execute";
import { runTrainingJob } from "./execute";

const tdb = await createTestDatabase();
const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-train-")));
let org: OrgFixture;
let ctx: OrgContext;
let backend = "";

beforeAll(async () => {
  backend = (await selectBackend()).name;
  org = await createOrgFixture(tdb.db, "training");
  ctx = fixtureContext(tdb.db, org);
  await uploadCsvDataset(ctx, store, "toy", binaryCsv({ rows: 160 }));
  await uploadCsvDataset(ctx, store, "flat", binaryCsv({ rows: 60, constantLabel: true }));
});
afterAll(() => tdb.drop());

const deps = (over: Partial<TrainingDeps> = {}): TrainingDeps => ({ db: tdb.db, store, workerId: "test-worker", staleMs: 10_000, heartbeatMs: 100, backend, log: () => {}, ...over });
const spec = (over: Partial<TrainingSpecInput> = {}): TrainingSpecInput => ({
  dataset: { name: "toy" },
  target: "label",
  epochs: 3,
  batchSize: 32,
  learningRate: 0.05,
  model: { hiddenLayers: [8] },
  experiment: "Worker tests",
  ...over,
});
const artifactJson = async <T>(runId: string, artifactPath: string) =>
  JSON.parse((await buffer(await (await getRunArtifact(ctx, { runId, path: artifactPath, store })).body())).toString("utf8")) as T;
describe("runTrainingJob", () => {
  it("trains, logs each epoch once, keeps test metrics, params, artifacts and the dataset link, and finishes run and job", async () => {
    const job = await submitTrainingJob(ctx, spec({ runName: "first-model" }));
    expect(await runTrainingJob(deps(), job.id)).toBe("succeeded");

    const done = await getJob(ctx, job.id);
    expect(done).toMatchObject({ status: "succeeded", attempts: 1, error: null, progress: { fraction: 1, epoch: 3, epochs: 3, etaMs: 0 } });
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(done.result).toMatchObject({ task: "binary", epochsRun: 3, runId: done.runId });
    const runId = done.runId ?? "";

    const run = await getRun(ctx, runId);
    expect(run.info).toMatchObject({ name: "first-model", status: "FINISHED", source: "worker", userId: org.users.owner.email });
    const [row] = await tdb.db.select({ authorId: runs.authorId }).from(runs).where(eq(runs.id, runId));
    expect(row?.authorId).toBe(org.users.owner.id);
    const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
    expect(tags).toMatchObject({ "gantry.job_id": job.id, "gantry.backend": backend, "gantry.dataset": "toy@1" });
    const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
    expect(params).toMatchObject({ task: "binary", epochs: "3", dataset: "toy@1", dataset_sha256: (job.spec as StoredTrainingSpec).dataset.sha256 });
    const latest = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
    expect(latest.test_accuracy).toBeGreaterThan(0.6);
    for (const key of ["loss", "val_loss"]) {
      const history = await getMetricHistory(ctx, { runId, key });
      expect(history.metrics.map((m) => m.step)).toEqual([1, 2, 3]);
    }
    expect(run.inputs.datasetInputs.map((d) => d.dataset.name)).toEqual(["toy"]);

    const files = async (dir?: string) => (await listRunArtifacts(ctx, { runId, path: dir })).files.map((f) => f.path);
    expect(await files()).toEqual(["evaluation", "model", "reference_profile.json"]);
    expect(await files("model")).toEqual(["model/pipeline.json", "model/signature.json"]);
    expect(await files("evaluation")).toEqual(expect.arrayContaining(["evaluation/confusion_matrix.json", "evaluation/roc_curve.json", "evaluation/sample_predictions.json"]));
    const reference = await artifactJson<{ rows: number; features: Record<string, unknown> }>(runId, "reference_profile.json");
    expect(Object.keys(reference.features).sort()).toEqual(["color", "x1", "x2"]);

    // The stored pipeline, reloaded, predicts on raw rows exactly what the worker's model did.
    const sample = await artifactJson<{ rows: Row[]; predictions: Prediction[] }>(runId, "evaluation/sample_predictions.json");
    expect(sample.rows.length).toBeGreaterThan(0);
    const stored = await getRunArtifact(ctx, { runId, path: "model/pipeline.json", store });
    const pipeline = await loadPipeline(new Uint8Array(await buffer(await stored.body())));
    try {
      expect(pipeline.predict(sample.rows)).toEqual(sample.predictions);
    } finally {
      pipeline.dispose();
    }

    const logs = (await listJobLogs(ctx, { jobId: job.id })).items.map((l) => l.message);
    expect(logs.filter((l) => /^epoch \d\/3: loss=/.test(l))).toHaveLength(3);
    expect(logs.at(-1)).toMatch(/^Succeeded: .*test_accuracy=/);
    // Its message again, or a duplicate: the job is finished, nothing runs.
    expect(await runTrainingJob(deps(), job.id)).toBe("skipped");
  });

  it("a constant target is refused at submit (the version's profile knows it): a clear error, no job stored", async () => {
    const before = (await listJobs(ctx, {})).items.length;
    await expect(submitTrainingJob(ctx, spec({ dataset: { name: "flat" } }))).rejects.toMatchObject({ code: "INVALID_INPUT", field: "spec.target", message: expect.stringMatching(/^target column 'label' is constant in dataset 'flat@1'/) });
    expect((await listJobs(ctx, {})).items).toHaveLength(before);
  });

  it("a spec only the trainer can find wrong (class weights for a label the data lacks) fails the job and the run with the trainer's message", async () => {
    const job = await submitTrainingJob(ctx, spec({ classWeights: { maybe: 2 } }));
    expect(await runTrainingJob(deps(), job.id)).toBe("failed");
    const failed = await getJob(ctx, job.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/maybe/);
    expect(failed.error).not.toMatch(/^Training failed/);
    expect((await getRun(ctx, failed.runId ?? "")).info.status).toBe("FAILED");
    expect((await listJobLogs(ctx, { jobId: job.id })).items.at(-1)).toMatchObject({ level: "error", message: failed.error });
  });

  it("an unexpected error fails the job as 'Training failed: …'", async () => {
    const job = await submitTrainingJob(ctx, spec());
    const broken = { ...store, get: () => Promise.reject(new Error("disk on fire")) };
    expect(await runTrainingJob(deps({ store: broken }), job.id)).toBe("failed");
    expect(await getJob(ctx, job.id)).toMatchObject({ status: "failed", error: "Training failed: disk on fire", runId: null });
  });

  it("a cancel during training stops it at the next batch: run KILLED, job cancelled", async () => {
    const job = await submitTrainingJob(ctx, spec({ epochs: 500 }));
    const outcome = runTrainingJob(deps(), job.id);
    await until(() => getJob(ctx, job.id), (j) => (j.progress.epoch ?? 0) >= 2, "epoch 2", 60_000);
    await cancelJob(ctx, job.id);
    expect(await outcome).toBe("cancelled");
    const cancelled = await getJob(ctx, job.id);
    expect(cancelled.status).toBe("cancelled");
    expect((await getRun(ctx, cancelled.runId ?? "")).info.status).toBe("KILLED");
    expect((await getMetricHistory(ctx, { runId: cancelled.runId ?? "", key: "loss" })).metrics.length).toBeLessThan(500);
    expect((await listJobLogs(ctx, { jobId: job.id, limit: 1000 })).items.at(-1)?.message).toMatch(/^Cancelled at epoch \d+\/500$/);
  });

  it("retakes a job whose worker died: same run, its old metrics dropped, every epoch logged once", async () => {
    const job = await submitTrainingJob(ctx, spec());
    const dead = await claimJob(tdb.db, { jobId: job.id, workerId: "dead-worker", staleMs: 1000 });
    if (!dead) throw new Error("not claimed");
    const lease = leaseOf(dead, "dead-worker");
    const { runId } = await attachTrainingRun(ctx, lease, { experiment: "Worker tests", tags: { "gantry.job_id": job.id }, existingRunId: null });
    for (const epoch of [1, 2]) {
      await recordTrainingEpoch(ctx, lease, { runId, epoch, metrics: { loss: 99 }, progress: { fraction: epoch / 3, epoch, epochs: 3 }, message: `epoch ${epoch}/3` });
    }
    await tdb.db.update(jobs).set({ heartbeatAt: sql`now() - interval '1 minute'` }).where(eq(jobs.id, job.id));

    expect(await runTrainingJob(deps({ staleMs: 1000 }), job.id)).toBe("succeeded");
    const done = await getJob(ctx, job.id);
    expect(done).toMatchObject({ status: "succeeded", attempts: 2, runId });
    const loss = await getMetricHistory(ctx, { runId, key: "loss" });
    expect(loss.metrics.map((m) => m.step)).toEqual([1, 2, 3]);
    expect(loss.metrics.every((m) => m.value !== 99)).toBe(true);
    const tagged = await tdb.db.select().from(runTags).where(and(eq(runTags.key, "gantry.job_id"), eq(runTags.value, job.id)));
    expect(tagged.map((t) => t.runId)).toEqual([runId]);
    expect((await listJobLogs(ctx, { jobId: job.id })).items.map((l) => l.message)).toContain(`Attempt 2 on test-worker: retaking run ${runId} from scratch`);
  });

  it("a worker that lost its job (taken over) stops without writing", async () => {
    const job = await submitTrainingJob(ctx, spec({ epochs: 500 }));
    const outcome = runTrainingJob(deps(), job.id);
    await until(() => getJob(ctx, job.id), (j) => (j.progress.epoch ?? 0) >= 1, "epoch 1", 60_000);
    await tdb.db.update(jobs).set({ workerId: "thief" }).where(eq(jobs.id, job.id));
    expect(await outcome).toBe("lost");
    expect(await getJob(ctx, job.id)).toMatchObject({ status: "running" });
  });
});
