import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { advanceCanaries } from "@gantry/api/abtests";
import { createFsArtifactStore } from "@gantry/api/artifacts";
import type { OrgContext } from "@gantry/api/jobs";
import { listJobs, submitTrainingJob } from "@gantry/api/jobs";
import { createMonitor, evaluateMonitor } from "@gantry/api/monitoring";
import { resolveModelUri } from "@gantry/api/registry";
import { createRetrainPolicy, getRetrainPolicy, startRetrainRun } from "@gantry/api/retraining";
import { createEndpoint, createPredictionLogWriter, ensurePredictionPartitions, getEndpoint } from "@gantry/api/serving";
import type { OrgFixture } from "@gantry/api/testing";
import { createOrgFixture, fixtureContext, uploadCsvDataset } from "@gantry/api/testing";
import { eq, sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { selectBackend } from "@gantry/ml";
import { monitors } from "@gantry/schema";

import { runTrainingJob } from "./training/execute";
import { createGateScorer } from "./retraining";

/*
 * The loop, with every part real but the clock: a champion trained and deployed by a job; traffic
 * whose inputs moved, logged; the drift monitor fires; the policy retrains on the dataset's
 * latest version (whose labels follow a new rule), the gate scores both models on the
 * challenger's holdout, a canary rolls the challenger out and promotes it. A policy with a gate
 * the challenger cannot pass stops it there, and says why.
 */

const tdb = await createTestDatabase();
const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-retrain-")));
let org: OrgFixture;
let ctx: OrgContext;
let backend = "";

/** `x1,x2,label`: the label is "yes" when `rule(x1, x2)` holds. */
function csv(rule: (x1: number, x2: number) => boolean, rows: number, seed: number): string {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648), s / 2147483648);
  const lines = ["x1,x2,label"];
  for (let i = 0; i < rows; i++) {
    const x1 = next() * 4 - 2;
    const x2 = next() * 4 - 2;
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${rule(x1, x2) ? "yes" : "no"}`);
  }
  return lines.join("\n") + "\n";
}

const deps = () => ({ db: tdb.db, store, workerId: "retrain-test", staleMs: 60_000, heartbeatMs: 1_000, backend, log: () => undefined });
const spec = { dataset: { name: "toy" }, target: "label", epochs: 6, batchSize: 32, learningRate: 0.05, model: { hiddenLayers: [8] }, seed: 3 };
const runQueuedJobs = async () => {
  for (const job of (await listJobs(ctx, { status: "queued" })).items) expect(await runTrainingJob(deps(), job.id)).toBe("succeeded");
};

beforeAll(async () => {
  backend = (await selectBackend()).name;
  org = await createOrgFixture(tdb.db, "retrain");
  ctx = fixtureContext(tdb.db, org);
  await uploadCsvDataset(ctx, store, "toy", csv((a, b) => a + b > 0, 1_200, 1));
  await createEndpoint(ctx, { name: "scorer-api" });
  await submitTrainingJob(ctx, { ...spec, register: { model: "scorer", alias: "champion", deploy: "scorer-api" } });
  await runQueuedJobs();
  await ensurePredictionPartitions(tdb.db, { from: new Date(Date.now() - 86_400_000), days: 3 });
}, 180_000);
afterAll(() => tdb.drop());

/** Predictions as the serving layer logs them, with `x1` moved by `shift`. */
async function traffic(shift: number, at: Date) {
  const writer = createPredictionLogWriter({ db: tdb.db, maxRows: 10_000, log: () => undefined });
  const e = await getEndpoint(ctx, "scorer-api");
  const version = e.revisions[0]?.policy.variants[0].modelVersionId ?? "";
  const rows = csv(() => true, 600, 7).trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
  writer.append(rows.map(([x1 = 0, x2 = 0], i) => ({ createdAt: at, requestId: `t-${at.getTime()}-${i}`, rowIndex: 0, orgId: org.org.id, endpointId: e.id, revision: e.revision ?? 1, variant: "default", modelVersionId: version, unitId: null, features: { x1: x1 + shift, x2 }, outputs: null, latencyMs: 1, status: 200, error: null })));
  await writer.close(30_000);
}

/** Healthy minute stats for the candidate of the endpoint's current (canary) revision. */
const healthyCanaryStep = () =>
  tdb.db.execute(sql`
    insert into endpoint_minute_stats (org_id, endpoint_id, revision, variant, minute, requests, errors, latency_sum_ms, latency_buckets)
    select e.org_id, e.id, r.revision, 'treatment', date_trunc('minute', now()), 50, 0, 100, array[0,0,0,0,50,0,0,0,0,0,0,0,0,0,0,0,0,0]::int[]
      from endpoints e join deployment_revisions r on r.id = e.current_revision_id where e.org_id = ${org.org.id}
    on conflict (endpoint_id, revision, variant, minute) do nothing`);

describe("the retraining loop", () => {
  it("refuses bad policies with a reason", async () => {
    const base = { name: "bad", model: "scorer", endpoint: "scorer-api", spec, gate: { metric: "test_accuracy" }, rollout: { steps: [50, 100], everyRequests: 20, maxErrorRate: 0.05, maxP99Ms: 5_000, minRequests: 10 } };
    await expect(createRetrainPolicy(ctx, { ...base, gate: { metric: "accuracy" } })).rejects.toMatchObject({ field: "gate.metric" });
    await expect(createRetrainPolicy(ctx, { ...base, spec: { ...spec, epochs: 0 } })).rejects.toMatchObject({ field: "spec.epochs" });
    await expect(createRetrainPolicy(ctx, { ...base, spec: { ...spec, dataset: { name: "nope" } } })).rejects.toMatchObject({ code: "NOT_FOUND", field: "spec.dataset" });
    await expect(createRetrainPolicy(ctx, { ...base, model: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND", field: "model" });
    await expect(createRetrainPolicy(ctx, { ...base, spec: { ...spec, register: { model: "x" } } })).rejects.toMatchObject({ field: "spec.register" });
  });

  it("drift fires, the challenger is trained, passes the gate, is canaried and promoted; the timeline says each step", async () => {
    const policy = await createRetrainPolicy(ctx, {
      name: "nightly",
      model: "scorer",
      endpoint: "scorer-api",
      triggers: ["data_drift"],
      spec,
      gate: { metric: "test_accuracy", margin: 0.05 },
      rollout: { steps: [50, 100], everyRequests: 20, maxErrorRate: 0.05, maxP99Ms: 5_000, minRequests: 10 },
      cooldownMinutes: 60,
    });
    // The world changed: the label follows another rule (new data, uploaded), and the inputs moved.
    await uploadCsvDataset(ctx, store, "toy", csv((a, b) => a - b > 0, 1_200, 2));
    const monitor = await createMonitor(ctx, { endpoint: "scorer-api", name: "inputs", kind: "data_drift", config: { windowMinutes: 60, everyMinutes: 5, minRows: 100, driftShare: 0.5, distanceThreshold: 0.1 } });
    const now = new Date();
    await traffic(1.5, new Date(now.getTime() - 5 * 60_000));
    const [row] = await tdb.db.select().from(monitors).where(eq(monitors.id, monitor.id));
    if (!row) throw new Error("monitor");
    expect((await evaluateMonitor(tdb.db, store, row, now)).status).toBe("drift");

    let [run] = (await getRetrainPolicy(ctx, policy.id)).runs;
    expect(run).toMatchObject({ trigger: "data_drift", status: "training" });
    expect(run?.timeline[0]?.message).toMatch(/^alert: Data drift on scorer-api: x1/);
    await runQueuedJobs();

    const score = createGateScorer({ db: tdb.db, store });
    const { advanceRetrainRuns } = await import("@gantry/api/retraining");
    // One pass: the finished job registers the challenger, the gate judges it at once, and its canary starts.
    await advanceRetrainRuns(tdb.db, score);
    [run] = (await getRetrainPolicy(ctx, policy.id)).runs;
    expect(run).toMatchObject({ status: "rolling_out", challengerVersion: 2, championVersion: 1 });
    const gate = run?.gate as { champion: number; challenger: number };
    expect(gate.challenger).toBeGreaterThan(gate.champion + 0.05);
    expect(run?.timeline.map((e) => e.step)).toEqual(["trigger", "training", "trained", "gate", "rollout"]);

    for (const expected of ["advance", "promote"]) {
      await healthyCanaryStep();
      expect((await advanceCanaries(tdb.db)).find((o) => o.endpoint === "scorer-api")?.action).toBe(expected);
    }
    await advanceRetrainRuns(tdb.db, score);
    [run] = (await getRetrainPolicy(ctx, policy.id)).runs;
    expect(run?.status).toBe("promoted");
    expect(run?.timeline.at(-1)?.message).toBe("v2 promoted: alias champion moved, serving 100%");
    expect((await resolveModelUri(ctx, "models:/scorer@champion")).version).toBe(2);
    expect(await getEndpoint(ctx, "scorer-api")).toMatchObject({ version: 2 });

    // Cool-down: a second start within the hour is refused, with the reason.
    const again = await startRetrainRun(ctx, policy.id, { kind: "manual" });
    expect(again.started).toBeNull();
    expect(again.reason).toMatch(/^cooling down/);
  }, 180_000);

  it("a challenger that does not beat the champion by the margin is stopped at the gate, and the timeline says why", async () => {
    const strict = await createRetrainPolicy(ctx, {
      name: "strict",
      model: "scorer",
      endpoint: "scorer-api",
      triggers: ["manual"],
      spec,
      gate: { metric: "test_accuracy", margin: 0.5 },
      rollout: { steps: [100], everyRequests: 20, maxErrorRate: 0.05, maxP99Ms: 5_000, minRequests: 10 },
      cooldownMinutes: 0,
    });
    expect((await startRetrainRun(ctx, strict.id, { kind: "manual" })).started).toMatchObject({ status: "training" });
    await runQueuedJobs();
    const score = createGateScorer({ db: tdb.db, store });
    const { advanceRetrainRuns } = await import("@gantry/api/retraining");
    await advanceRetrainRuns(tdb.db, score);
    const [run] = (await getRetrainPolicy(ctx, strict.id)).runs;
    expect(run?.status).toBe("rejected");
    expect(run?.timeline.at(-1)?.message).toMatch(/^stopped at the gate: test_accuracy on the same holdout \(\d+ rows\): challenger v3 0\.\d+ vs champion v2 0\.\d+, needs ≥ champion \+ 0\.5$/);
    // Still the champion's endpoint.
    expect(await getEndpoint(ctx, "scorer-api")).toMatchObject({ version: 2 });
  }, 180_000);
});
