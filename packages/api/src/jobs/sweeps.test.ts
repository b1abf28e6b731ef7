import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { and, asc, eq, inArray, sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { auditEvents, GantryError, jobs, runs } from "@gantry/schema";
import type { SweepConfig, SweepConfigInput, SweepResult, TrainingSpecInput } from "@gantry/schema";
import { ZSweepConfig } from "@gantry/schema";

import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { deleteDataset } from "../datasets";
import type { OrgFixture } from "../testing";
import { binaryCsv, createOrgFixture, fixtureContext, uploadCsvDataset } from "../testing";
import { getRun } from "../tracking/runs";
import { cancelJob } from "./cancel";
import { claimJob, leaseOf } from "./lease";
import { PGBOSS_SCHEMA, TRAIN_QUEUE } from "./queue";
import { getJob, listJobLogs, listJobs } from "./read";
import { storedTrainingSpec } from "./submit";
import type { StoredTrainingSpec } from "./submit";
import { advanceParentSweep, advanceStalledSweeps, advanceSweep } from "./sweep-advance";
import { seededRandom } from "../random";
import { expandTrials, sampleRange, withTrialValues } from "./sweep-trials";
import { getSweep, submitSweep } from "./sweeps";
import { attachTrainingRun, completeTrainingJob, endTrainingJob } from "./training-run";

const tdb = await createTestDatabase();
const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-sweeps-")));
let org: OrgFixture;
let ctx: OrgContext;
let boss: PgBoss;

beforeAll(async () => {
  boss = new PgBoss({ connectionString: tdb.url, schema: PGBOSS_SCHEMA, supervise: false, schedule: false });
  // Its pool's connections end when the test database is dropped: not an error of this test.
  boss.on("error", () => undefined);
  await boss.start();
  await boss.createQueue(TRAIN_QUEUE);
  org = await createOrgFixture(tdb.db, "sweeps");
  ctx = fixtureContext(tdb.db, org);
  await uploadCsvDataset(ctx, store, "toy", binaryCsv({ rows: 40, seed: 1 }));
});
afterAll(async () => {
  await boss.stop({ graceful: false, wait: true });
  await tdb.drop();
});

const base = (over: Partial<TrainingSpecInput> = {}): TrainingSpecInput => ({ dataset: { name: "toy" }, target: "label", epochs: 1, model: { hiddenLayers: [4] }, experiment: "Sweeps", ...over });
const config = (over: Partial<SweepConfigInput> = {}): SweepConfigInput => ({
  base: base(),
  parameters: { learningRate: { values: [0.01, 0.1, 0.3] } },
  concurrency: 2,
  metric: "test_accuracy",
  ...over,
});
const parsed = (over: Partial<SweepConfigInput>): SweepConfig => ZSweepConfig.parse(config(over));
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error as GantryError,
  );
const counts = async () => {
  const [row] = await tdb.db.execute<{ jobs: number; runs: number; audits: number }>(
    sql`select (select count(*)::int from jobs) as jobs, (select count(*)::int from runs) as runs, (select count(*)::int from audit_events) as audits`,
  );
  return row;
};
const children = (sweepId: string) => tdb.db.select().from(jobs).where(eq(jobs.parentJobId, sweepId)).orderBy(asc(jobs.id));
const unfinished = async (sweepId: string) =>
  (await tdb.db.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.parentJobId, sweepId), inArray(jobs.status, ["queued", "running"])))).length;

/**
 * What the worker does for a trial, without TensorFlow: claim, attach the run (with the trial's
 * run tags, as the executor does), then succeed with test metrics or fail; then the worker's hook.
 */
async function finishTrial(jobId: string, outcome: { metrics: Record<string, number> } | { fail: string } | { cancel: true }) {
  const row = await claimJob(tdb.db, { jobId, workerId: "fake-worker", staleMs: 60_000 });
  if (!row) throw new Error(`cannot claim ${jobId}`);
  const lease = leaseOf(row, "fake-worker");
  const { spec, dataset, parentRunId, runTags } = storedTrainingSpec(row);
  const { runId } = await attachTrainingRun(ctx, lease, { experiment: spec.experiment, runName: spec.runName, parentRunId, tags: { ...runTags, "gantry.job_id": jobId }, existingRunId: null });
  if ("metrics" in outcome) {
    await completeTrainingJob(ctx, lease, {
      runId,
      datasetVersionId: dataset.versionId,
      params: { learning_rate: String(spec.learningRate) },
      testMetrics: outcome.metrics,
      artifacts: [],
      store,
      progress: { fraction: 1 },
      result: { runId },
      message: "Succeeded",
    });
  } else {
    await endTrainingJob(ctx, lease, "fail" in outcome ? { status: "failed", runId, message: outcome.fail } : { status: "cancelled", runId, message: "Cancelled" });
  }
  await advanceParentSweep(tdb.db, jobId);
  return runId;
}

describe("trial expansion", () => {
  it("grid: the cartesian product, the last parameter varying fastest", () => {
    const trials = expandTrials(parsed({ parameters: { learningRate: { values: [0.01, 0.1] }, "model.hiddenLayers": { values: [[4], [8, 4], []] } }, maxRuns: 6 }));
    expect(trials).toEqual([
      { learningRate: 0.01, "model.hiddenLayers": [4] },
      { learningRate: 0.01, "model.hiddenLayers": [8, 4] },
      { learningRate: 0.01, "model.hiddenLayers": [] },
      { learningRate: 0.1, "model.hiddenLayers": [4] },
      { learningRate: 0.1, "model.hiddenLayers": [8, 4] },
      { learningRate: 0.1, "model.hiddenLayers": [] },
    ]);
  });

  it("grid: larger than maxRuns is refused with the arithmetic", () => {
    const error = (() => {
      try {
        expandTrials(parsed({ parameters: { learningRate: { values: [1, 2, 3] }, "model.dropout": { values: [0, 0.1, 0.2, 0.3] } }, maxRuns: 10 }));
      } catch (e) {
        return e as GantryError;
      }
      throw new Error("expected a failure");
    })();
    expect(error).toMatchObject({ code: "INVALID_INPUT", field: "config.maxRuns" });
    expect(error.message).toBe("config.maxRuns: the grid has 12 trials (3 × 4), more than maxRuns (10); raise maxRuns (at most 500) or list fewer values");
  });

  it("random: maxRuns draws, the same for the same seed, within ranges, integers integral", () => {
    const cfg = (seed: number) =>
      parsed({
        method: "random",
        maxRuns: 200,
        seed,
        parameters: {
          learningRate: { min: 0.0001, max: 0.1, scale: "log" },
          "model.dropout": { min: 0, max: 0.5 },
          batchSize: { min: 8, max: 64, integer: true },
          optimizer: { values: ["adam", "sgd"] },
        },
      });
    const trials = expandTrials(cfg(7));
    expect(trials).toHaveLength(200);
    expect(expandTrials(cfg(7))).toEqual(trials);
    expect(expandTrials(cfg(8))).not.toEqual(trials);
    for (const t of trials) {
      expect(t.learningRate).toBeGreaterThanOrEqual(0.0001);
      expect(t.learningRate).toBeLessThanOrEqual(0.1);
      expect(t["model.dropout"]).toBeGreaterThanOrEqual(0);
      expect(t["model.dropout"]).toBeLessThanOrEqual(0.5);
      expect(Number.isInteger(t.batchSize)).toBe(true);
      expect(t.batchSize).toBeGreaterThanOrEqual(8);
      expect(t.batchSize).toBeLessThanOrEqual(64);
      expect(["adam", "sgd"]).toContain(t.optimizer);
    }
    expect(new Set(trials.map((t) => t.batchSize)).size).toBeGreaterThan(30);
    expect(new Set(trials.map((t) => t.optimizer))).toEqual(new Set(["adam", "sgd"]));
  });

  it("random: a log scale is uniform in log space (each decade gets its share), a linear one is not", () => {
    const next = seededRandom(1);
    const log = Array.from({ length: 3000 }, () => sampleRange({ min: 0.0001, max: 0.1, scale: "log", integer: false }, next()));
    const decades = [0.001, 0.01, 0.1].map((hi) => log.filter((v) => v <= hi && v > hi / 10).length / log.length);
    for (const share of decades) expect(share).toBeCloseTo(1 / 3, 1);
    const linear = Array.from({ length: 3000 }, () => sampleRange({ min: 0.0001, max: 0.1, scale: "linear", integer: false }, next()));
    expect(linear.filter((v) => v <= 0.001).length / linear.length).toBeLessThan(0.02);
    const ints = Array.from({ length: 4000 }, () => sampleRange({ min: 1, max: 1000, scale: "log", integer: true }, next()));
    expect(ints.every((v) => Number.isInteger(v) && v >= 1 && v <= 1000)).toBe(true);
    expect(ints.filter((v) => v < 32).length / ints.length).toBeCloseTo(0.5, 1);
  });

  it("sets dotted paths without touching the base", () => {
    const b = { learningRate: 0.001, model: { hiddenLayers: [64], dropout: 0 } };
    const spec = withTrialValues(b, { "model.dropout": 0.2, learningRate: 0.1 });
    expect(spec).toEqual({ learningRate: 0.1, model: { hiddenLayers: [64], dropout: 0.2 } });
    expect(b.model.dropout).toBe(0);
  });
});

describe("submitSweep refuses bad configs, storing nothing", () => {
  const cases: [string, SweepConfigInput, { field: string; message: RegExp }][] = [
    ["no metric", { ...config(), metric: undefined } as unknown as SweepConfigInput, { field: "config.metric", message: /^config\.metric: / }],
    ["a grid over a range", config({ parameters: { learningRate: { min: 0.001, max: 0.1 } } }), { field: "config.parameters", message: /a grid sweep needs a list of values/ }],
    ["no parameters", config({ parameters: {} }), { field: "config.parameters", message: /at least one field/ }],
    ["a base spec error", config({ base: base({ epochs: 0 }) }), { field: "config.base.epochs", message: /^config\.base\.epochs: / }],
    ["a base column the dataset lacks", config({ base: base({ target: "nope" }) }), { field: "config.base.target", message: /target column 'nope' not in dataset 'toy@1'/ }],
    ["an invalid trial value", config({ parameters: { learningRate: { values: [0.1, -1] } } }), { field: "config.parameters.learningRate", message: /^config\.parameters\.learningRate: -1 is not a valid value: / }],
    ["a dropout out of range", config({ parameters: { "model.dropout": { values: [0.2, 2] } } }), { field: "config.parameters.model.dropout", message: /2 is not a valid value: model\.dropout must be ≤ 0\.9/ }],
    ["hidden layers that are not integers", config({ parameters: { "model.hiddenLayers": { values: [[4], [2.5]] } } }), { field: "config.parameters.model.hiddenLayers", message: /\[2\.5\] is not a valid value/ }],
    ["an unknown field", config({ parameters: { "model.dropuot": { values: [0.1] } } }), { field: "config.parameters.model.dropuot", message: /dropuot/ }],
    ["a path through a number", config({ parameters: { "epochs.max": { values: [1] } } }), { field: "config.parameters.epochs.max", message: /'epochs' is not an object/ }],
    ["a malformed path", config({ parameters: { "model..dropout": { values: [0.1] } } }), { field: "config.parameters.model..dropout", message: /dotted path/ }],
    ["an empty range", config({ method: "random", parameters: { learningRate: { min: 0.1, max: 0.01 } } }), { field: "config.parameters.learningRate", message: /min \(0\.1\) is greater than max \(0\.01\)/ }],
    ["a log range from zero", config({ method: "random", parameters: { learningRate: { min: 0, max: 0.1, scale: "log" } } }), { field: "config.parameters.learningRate", message: /log scale needs min > 0/ }],
    ["a grid over maxRuns", config({ maxRuns: 2 }), { field: "config.maxRuns", message: /grid has 3 trials/ }],
    ["a column the dataset lacks", config({ parameters: { target: { values: ["label", "lable"] } } }), { field: "config.parameters.target", message: /lable is not a valid value: target column 'lable' not in dataset 'toy@1'/ }],
  ];
  it.each(cases)("%s", async (_name, input, expected) => {
    const before = await counts();
    const error = await failure(submitSweep(ctx, input));
    expect(error).toBeInstanceOf(GantryError);
    expect(error).toMatchObject({ code: "INVALID_INPUT", field: expected.field });
    expect(error.message).toMatch(expected.message);
    expect(await counts()).toEqual(before);
  });

  it("an unknown dataset is NOT_FOUND, nothing stored", async () => {
    const before = await counts();
    expect(await failure(submitSweep(ctx, config({ base: base({ dataset: { name: "nope" } }) })))).toMatchObject({ code: "NOT_FOUND", message: "No dataset named 'nope'" });
    expect(await counts()).toEqual(before);
  });
});

describe("a sweep's life", () => {
  it("submits the sweep job, its parent run and the first `concurrency` trials in one go; the sweep is never queued", async () => {
    const sweep = await submitSweep(ctx, config({ name: "lr-search" }));
    expect(sweep).toMatchObject({ kind: "sweep", status: "running", progress: { fraction: 0, done: 0, total: 3 }, createdBy: org.users.owner.id });
    expect(sweep.spec).toMatchObject({ name: "lr-search", method: "grid", trials: [{ learningRate: 0.01 }, { learningRate: 0.1 }, { learningRate: 0.3 }], base: { dataset: { name: "toy", version: 1 } } });
    const parent = await getRun(ctx, sweep.runId ?? "");
    expect(parent.info).toMatchObject({ name: "lr-search", status: "RUNNING" });
    const tags = Object.fromEntries(parent.data.tags.map((t) => [t.key, t.value]));
    expect(tags).toMatchObject({ "gantry.sweep": "true", "gantry.job_id": sweep.id });
    const params = Object.fromEntries(parent.data.params.map((p) => [p.key, p.value]));
    expect(params).toMatchObject({ learningRate: "[0.01,0.1,0.3]", sweep_method: "grid", sweep_metric: "test_accuracy", sweep_trials: "3" });
    const kids = await children(sweep.id);
    expect(kids.map((k) => [k.kind, k.status])).toEqual([
      ["train", "queued"],
      ["train", "queued"],
    ]);
    const first = kids[0]?.spec as StoredTrainingSpec;
    expect(first).toMatchObject({ learningRate: 0.01, runName: "lr-search-1", parentRunId: sweep.runId, runTags: { "gantry.sweep.trial": "0", "gantry.sweep.learningRate": "0.01" } });
    const queued = await tdb.db.execute<{ job_id: string }>(sql`select data->>'jobId' as job_id from pgboss.job where name = ${TRAIN_QUEUE}`);
    expect(queued.map((m) => m.job_id)).not.toContain(sweep.id);
    expect(queued.map((m) => m.job_id)).toEqual(expect.arrayContaining(kids.map((k) => k.id)));
    const [audit] = await tdb.db.select().from(auditEvents).where(and(eq(auditEvents.action, "job.submit"), eq(auditEvents.targetId, sweep.id)));
    expect(audit?.data).toMatchObject({ kind: "sweep", trials: 3, dataset: "toy@1" });
    expect((await listJobs(ctx, { parentJobId: sweep.id })).items).toHaveLength(2);
    await cancelJob(ctx, sweep.id);
  });

  it("runs 3 trials 2 at a time: each ending launches the next, the best is picked and tagged, idempotently", async () => {
    const sweep = await submitSweep(ctx, config({ name: "three" }));
    const [a, b] = await children(sweep.id);
    const runA = await finishTrial(a?.id ?? "", { metrics: { test_accuracy: 0.7 } });
    expect(await unfinished(sweep.id)).toBe(2);
    // A second call (the recovery pass, a duplicate hook) changes nothing.
    expect(await advanceSweep(tdb.db, sweep.id)).toEqual({ launched: [], status: "running" });
    expect(await children(sweep.id)).toHaveLength(3);
    expect(await getJob(ctx, sweep.id)).toMatchObject({ progress: { done: 1, total: 3, fraction: 1 / 3, metrics: { test_accuracy: 0.7 } } });
    const c = (await children(sweep.id))[2];
    const runC = await finishTrial(c?.id ?? "", { metrics: { test_accuracy: 0.9 } });
    expect(await unfinished(sweep.id)).toBe(1);
    const runB = await finishTrial(b?.id ?? "", { metrics: { test_accuracy: 0.8 } });
    const done = await getJob(ctx, sweep.id);
    expect(done).toMatchObject({ status: "succeeded", progress: { fraction: 1, done: 3, total: 3 } });
    expect(done.result).toEqual({ bestJobId: c?.id ?? null, bestRunId: runC, metric: "test_accuracy", value: 0.9, trials: 3, succeeded: 3, failed: 0, cancelled: 0 } satisfies SweepResult);
    const parent = await getRun(ctx, done.runId ?? "");
    expect(parent.info.status).toBe("FINISHED");
    expect(parent.data.tags).toContainEqual({ key: "gantry.sweep.best_run_id", value: runC });
    expect(parent.data.metrics).toEqual([expect.objectContaining({ key: "test_accuracy", value: 0.9 })]);
    const childRuns = await tdb.db.select({ id: runs.id, parent: runs.parentRunId }).from(runs).where(inArray(runs.id, [runA, runB, runC]));
    expect(childRuns.every((r) => r.parent === done.runId)).toBe(true);
    const best = await getRun(ctx, runC);
    expect(best.data.tags).toEqual(expect.arrayContaining([{ key: "gantry.sweep.best", value: "true" }, { key: "gantry.sweep.learningRate", value: "0.3" }]));
    expect((await getRun(ctx, runA)).data.tags.map((t) => t.key)).not.toContain("gantry.sweep.best");
    expect(await advanceSweep(tdb.db, sweep.id)).toEqual({ launched: [], status: "succeeded" });
    expect(await children(sweep.id)).toHaveLength(3);
    const logs = (await listJobLogs(ctx, { jobId: sweep.id })).items.map((l) => l.message);
    expect(logs.at(-1)).toBe(`Succeeded: best test_accuracy=0.9 from trial 3 (job ${c?.id}, run ${runC}); 3 trials: 3 succeeded, 0 failed`);

    const view = await getSweep(ctx, sweep.id);
    expect(view).toMatchObject({ method: "grid", parameters: ["learningRate"], metric: "test_accuracy", goal: "maximize", best: { index: 2, jobId: c?.id, runId: runC, value: 0.9 } });
    expect(view.trials.map((t) => [t.index, t.values, t.status, t.metrics.test_accuracy])).toEqual([
      [0, { learningRate: 0.01 }, "succeeded", 0.7],
      [1, { learningRate: 0.1 }, "succeeded", 0.8],
      [2, { learningRate: 0.3 }, "succeeded", 0.9],
    ]);
  });

  it("minimize picks the lowest; children without the metric are skipped; a failed child counts as failed", async () => {
    const sweep = await submitSweep(ctx, config({ goal: "minimize", metric: "test_log_loss", concurrency: 3 }));
    const [a, b, c] = await children(sweep.id);
    await finishTrial(a?.id ?? "", { metrics: { test_accuracy: 0.5 } });
    const runB = await finishTrial(b?.id ?? "", { metrics: { test_log_loss: 0.4 } });
    await finishTrial(c?.id ?? "", { fail: "the target has one value" });
    const done = await getJob(ctx, sweep.id);
    expect(done).toMatchObject({ status: "succeeded", result: { bestJobId: b?.id, bestRunId: runB, value: 0.4, trials: 3, succeeded: 2, failed: 1 } });
  });

  it("every child failing fails the sweep and its parent run", async () => {
    const sweep = await submitSweep(ctx, config({ parameters: { learningRate: { values: [0.1, 0.2] } } }));
    for (const child of await children(sweep.id)) await finishTrial(child.id, { fail: "boom" });
    const done = await getJob(ctx, sweep.id);
    expect(done).toMatchObject({ status: "failed", error: "Failed: no trial succeeded (2 trials: 0 succeeded, 2 failed)", result: { bestJobId: null, failed: 2 } });
    expect((await getRun(ctx, done.runId ?? "")).info.status).toBe("FAILED");
  });

  it("cancel: queued children cancelled, running ones asked to stop, nothing more launched, parent run KILLED", async () => {
    const sweep = await submitSweep(ctx, config({ parameters: { learningRate: { values: [0.1, 0.2, 0.3, 0.4] } } }));
    const [a, b] = await children(sweep.id);
    await claimJob(tdb.db, { jobId: a?.id ?? "", workerId: "w", staleMs: 60_000 });
    const cancelled = await cancelJob(ctx, sweep.id);
    expect(cancelled).toMatchObject({ status: "cancelled", cancelRequested: true });
    expect(await getJob(ctx, a?.id ?? "")).toMatchObject({ status: "running", cancelRequested: true });
    expect(await getJob(ctx, b?.id ?? "")).toMatchObject({ status: "cancelled" });
    expect((await getRun(ctx, sweep.runId ?? "")).info.status).toBe("KILLED");
    expect(await advanceSweep(tdb.db, sweep.id)).toEqual({ launched: [], status: "cancelled" });
    expect(await children(sweep.id)).toHaveLength(2);
    expect(await failure(cancelJob(ctx, sweep.id))).toMatchObject({ code: "PRECONDITION_FAILED" });
    const [audit] = await tdb.db.select().from(auditEvents).where(and(eq(auditEvents.action, "job.cancel"), eq(auditEvents.targetId, sweep.id)));
    expect(audit).toBeDefined();
  });

  it("a queued trial cancelled on its own frees its slot at once", async () => {
    const sweep = await submitSweep(ctx, config());
    const [a] = await children(sweep.id);
    await cancelJob(ctx, a?.id ?? "");
    expect((await children(sweep.id)).map((k) => k.status)).toEqual(["cancelled", "queued", "queued"]);
    await cancelJob(ctx, sweep.id);
  });

  it("a trial that can no longer be submitted (dataset deleted) is a failed child; the sweep goes on to its end", async () => {
    await uploadCsvDataset(ctx, store, "doomed", binaryCsv({ rows: 30, seed: 3 }));
    const sweep = await submitSweep(ctx, config({ base: base({ dataset: { name: "doomed" } }), concurrency: 1 }));
    await finishTrial((await children(sweep.id))[0]?.id ?? "", { metrics: { test_accuracy: 0.6 } });
    await deleteDataset(ctx, "doomed");
    await finishTrial((await children(sweep.id))[1]?.id ?? "", { fail: "its data vanished" });
    const kids = await children(sweep.id);
    expect(kids[2]).toMatchObject({ status: "failed", error: "No dataset named 'doomed'", parentJobId: sweep.id });
    expect((await listJobLogs(ctx, { jobId: kids[2]?.id ?? "" })).items.map((l) => l.message)).toEqual([`Trial 3/3 of sweep ${sweep.id} could not be submitted: No dataset named 'doomed'`]);
    expect(await getJob(ctx, sweep.id)).toMatchObject({ status: "succeeded", result: { succeeded: 1, failed: 2 } });
    const view = await getSweep(ctx, sweep.id);
    expect(view.trials[2]).toMatchObject({ status: "failed", error: "No dataset named 'doomed'", values: { learningRate: 0.3 } });
  });

  it("the recovery pass advances a sweep whose child ended without advancing it", async () => {
    const sweep = await submitSweep(ctx, config({ concurrency: 1 }));
    const [first] = await children(sweep.id);
    // The child's worker died right after the child ended: no hook ran.
    await tdb.db.update(jobs).set({ status: "failed", error: "x", finishedAt: new Date() }).where(eq(jobs.id, first?.id ?? ""));
    expect(await advanceStalledSweeps(tdb.db)).toEqual([sweep.id]);
    expect((await children(sweep.id)).map((k) => k.status)).toEqual(["failed", "queued"]);
    expect(await advanceStalledSweeps(tdb.db)).toEqual([]);
    await cancelJob(ctx, sweep.id);
  });

  it("a sweep is not a training job: job.retry and the view of a train job say so", async () => {
    const sweep = await submitSweep(ctx, config());
    const [child] = await children(sweep.id);
    expect(await failure(getSweep(ctx, child?.id ?? ""))).toMatchObject({ code: "INVALID_INPUT", message: `Job ${child?.id} is a train job, not a sweep` });
    await cancelJob(ctx, sweep.id);
  });
});
