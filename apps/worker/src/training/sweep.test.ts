import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createFsArtifactStore } from "@gantry/api/artifacts";
import type { OrgContext } from "@gantry/api/jobs";
import { getJob, getSweep, submitSweep } from "@gantry/api/jobs";
import { binaryCsv, createOrgFixture, fixtureContext, until, uploadCsvDataset } from "@gantry/api/testing";
import { getRunsByIds } from "@gantry/api/tracking";
import { and, eq, inArray } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { selectBackend } from "@gantry/ml";
import type { SweepConfigInput } from "@gantry/schema";
import { jobs } from "@gantry/schema";

import { SCHEDULES_TICK_QUEUE } from "../schedules";
import { startJobs } from "../jobs";
import type { TrainingDeps, TrainingJobOutcome } from "./execute";
import { runTrainingJob } from "./execute";

const tdb = await createTestDatabase();
const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-sweep-")));
let ctx: OrgContext;
let backend = "";

beforeAll(async () => {
  backend = (await selectBackend()).name;
  ctx = fixtureContext(tdb.db, await createOrgFixture(tdb.db, "sweep-worker"));
  await uploadCsvDataset(ctx, store, "toy", binaryCsv({ rows: 160 }));
});
afterAll(() => tdb.drop());

const deps: () => TrainingDeps = () => ({ db: tdb.db, store, workerId: "sweep-test", staleMs: 10_000, heartbeatMs: 200, backend, log: () => {} });
const config = (over: Partial<SweepConfigInput> = {}): SweepConfigInput => ({
  name: "lr-sweep",
  base: { dataset: { name: "toy" }, target: "label", epochs: 2, batchSize: 32, model: { hiddenLayers: [4] }, experiment: "Sweep tests" },
  parameters: { learningRate: { values: [0.003, 0.05, 0.2] } },
  concurrency: 2,
  metric: "test_accuracy",
  ...over,
});
const childrenOf = (sweepId: string) => tdb.db.select().from(jobs).where(eq(jobs.parentJobId, sweepId));
const unfinished = async (sweepId: string) =>
  (await tdb.db.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.parentJobId, sweepId), inArray(jobs.status, ["queued", "running"])))).length;

describe("a sweep run by the real executor", () => {
  it("3 trials, 2 at a time: a parent run, 3 child runs, the best tagged by the metric; never more than 2 children unfinished", async () => {
    const sweep = await submitSweep(ctx, config());
    const running = new Map<string, Promise<TrainingJobOutcome>>();
    const outcomes: TrainingJobOutcome[] = [];
    let most = 0;
    for (;;) {
      // Whatever the sweep has queued is run at once, as two idle workers would.
      for (const child of await childrenOf(sweep.id)) {
        if (child.status !== "queued" || running.has(child.id)) continue;
        running.set(
          child.id,
          runTrainingJob(deps(), child.id).then(async (outcome) => {
            outcomes.push(outcome);
            // The executor advanced the sweep before answering: check the limit after each advance.
            most = Math.max(most, await unfinished(sweep.id));
            return outcome;
          }),
        );
      }
      most = Math.max(most, await unfinished(sweep.id));
      const pending = [...running.entries()];
      if (!pending.length) break;
      const done = await Promise.race(pending.map(([id, p]) => p.then(() => id)));
      running.delete(done);
    }
    expect(outcomes).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(most).toBe(2);

    const finished = await getJob(ctx, sweep.id);
    expect(finished).toMatchObject({ status: "succeeded", progress: { fraction: 1, done: 3, total: 3 } });
    const view = await getSweep(ctx, sweep.id);
    const children = await childrenOf(sweep.id);
    expect(children).toHaveLength(3);
    const childRuns = await getRunsByIds(ctx, children.map((c) => c.runId ?? ""));
    expect(childRuns).toHaveLength(3);
    expect(childRuns.every((r) => r.info.parentRunId === finished.runId && r.info.status === "FINISHED")).toBe(true);
    // Each child logged its own trial's value as a param (the executor logs the spec) and carries it as a tag.
    for (const run of childRuns) {
      const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
      const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
      expect(tags["gantry.sweep.learningRate"]).toBe(params.learning_rate);
      expect(tags["gantry.sweep.job_id"]).toBe(sweep.id);
    }
    const accuracy = (runId: string) => childRuns.find((r) => r.info.id === runId)?.data.metrics.find((m) => m.key === "test_accuracy")?.value;
    const values = childRuns.map((r) => accuracy(r.info.id) ?? -1);
    const bestRun = childRuns.find((r) => accuracy(r.info.id) === Math.max(...values));
    expect(finished.result).toMatchObject({ bestRunId: bestRun?.info.id, metric: "test_accuracy", value: Math.max(...values), trials: 3, failed: 0 });
    expect(bestRun?.data.tags).toContainEqual({ key: "gantry.sweep.best", value: "true" });
    expect(childRuns.filter((r) => r.data.tags.some((t) => t.key === "gantry.sweep.best"))).toHaveLength(1);
    const [parent] = await getRunsByIds(ctx, [finished.runId ?? ""]);
    expect(parent?.info.status).toBe("FINISHED");
    expect(parent?.data.tags).toContainEqual({ key: "gantry.sweep.best_run_id", value: bestRun?.info.id });
    expect(parent?.data.metrics.find((m) => m.key === "test_accuracy")?.value).toBe(Math.max(...values));
    expect(view.trials.map((t) => [t.values.learningRate, t.status, t.metrics.test_accuracy])).toEqual(
      [0.003, 0.05, 0.2].map((lr) => [lr, "succeeded", accuracy(children.find((c) => (c.spec as { learningRate: number }).learningRate === lr)?.runId ?? "")]),
    );
  });

  it("through pg-boss (the worker's queues in process): the sweep runs to its end; the schedules tick is registered", async () => {
    const started = await startJobs({
      db: tdb.db,
      url: tdb.url,
      log: () => {},
      training: { store, workerId: "sweep-queue", staleMs: 10_000, heartbeatMs: 200, maxAttempts: 3, concurrency: 2, backend },
    });
    try {
      expect((await started.boss.getSchedules()).map((s) => s.name)).toContain(SCHEDULES_TICK_QUEUE);
      const sweep = await submitSweep(ctx, config({ name: "queued-sweep", parameters: { "model.hiddenLayers": { values: [[4], [8]] } } }));
      const done = await until(() => getJob(ctx, sweep.id), (j) => j.status !== "running", "the sweep to finish");
      expect(done).toMatchObject({ status: "succeeded", result: { trials: 2, failed: 0 } });
    } finally {
      await started.stop(5_000);
    }
  });
});
