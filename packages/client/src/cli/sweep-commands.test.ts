import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ArtifactStore } from "@gantry/api/artifacts";
import { createFsArtifactStore } from "@gantry/api/artifacts";
import type { OrgContext } from "@gantry/api/jobs";
import { advanceParentSweep, attachTrainingRun, claimJob, completeTrainingJob, leaseOf, storedTrainingSpec } from "@gantry/api/jobs";
import type { OrgFixture } from "@gantry/api/testing";
import { binaryCsv, createOrgFixture, fixtureContext, startApiServer, uploadCsvDataset } from "@gantry/api/testing";
import { and, eq, isNotNull } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import type { Job } from "@gantry/schema/job-contracts";
import { jobs } from "@gantry/schema/jobs";
import type { SweepView } from "@gantry/schema/sweep-contracts";

import { createGantryClient, GantryApiError } from "../client";
import { runCli } from "./run-cli";

/* `gantry sweep` against a real API server; a stand-in worker (no TensorFlow) finishes the trials. */

const tdb = await createTestDatabase();
const artifactRoot = await mkdtemp(path.join(tmpdir(), "gantry-cli-sweeps-"));
let store: ArtifactStore;
let server: Awaited<ReturnType<typeof startApiServer>>;
let org: OrgFixture;
let ctx: OrgContext;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  server = await startApiServer(tdb.db, tdb.sql, { artifactRoot });
  store = createFsArtifactStore(artifactRoot);
  org = await createOrgFixture(tdb.db, "cli-sweeps");
  ctx = fixtureContext(tdb.db, org);
  await uploadCsvDataset(ctx, store, "toy", binaryCsv({ rows: 40 }));
  env = { GANTRY_CONFIG_DIR: await mkdtemp(path.join(tmpdir(), "gantry-cli-")), GANTRY_URL: server.url, GANTRY_API_KEY: org.keys.all.secret };
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

const gantry = (args: string[]) => runCli(args, env);

const configFile = async (name: string, config: Record<string, unknown>) => {
  const file = path.join(artifactRoot, `${name}.json`);
  await writeFile(file, JSON.stringify(config));
  return file;
};
const sweepConfig = (over: Record<string, unknown> = {}) => ({
  base: { dataset: { name: "toy" }, target: "label", epochs: 1, model: { hiddenLayers: [4] } },
  parameters: { learningRate: { values: [0.01, 0.1, 0.3] } },
  concurrency: 2,
  metric: "test_accuracy",
  ...over,
});

/** Finishes every queued trial (test_accuracy = its learning rate, so the last one is best) until stopped, advancing the sweep as the worker does. */
function standInWorker() {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const queued = await tdb.db.select().from(jobs).where(and(eq(jobs.orgId, org.org.id), eq(jobs.status, "queued"), isNotNull(jobs.parentJobId)));
      for (const job of queued) {
        const row = await claimJob(tdb.db, { jobId: job.id, workerId: "stand-in", staleMs: 60_000 });
        if (!row) continue;
        const lease = leaseOf(row, "stand-in");
        const { spec, dataset, parentRunId, runTags } = storedTrainingSpec(row);
        const { runId } = await attachTrainingRun(ctx, lease, { experiment: spec.experiment, runName: spec.runName, parentRunId, tags: { ...runTags }, existingRunId: null });
        await completeTrainingJob(ctx, lease, {
          runId,
          datasetVersionId: dataset.versionId,
          params: {},
          testMetrics: { test_accuracy: spec.learningRate },
          artifacts: [],
          store,
          progress: { fraction: 1 },
          result: { runId },
          message: "Succeeded",
        });
        await advanceParentSweep(tdb.db, job.id);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

describe("gantry sweep", () => {
  it("submits a config file and says how to follow it", async () => {
    const file = await configFile("grid", sweepConfig({ name: "lr-grid" }));
    const { code, out } = await gantry(["sweep", "--config", file]);
    expect(code).toBe(0);
    expect(out).toMatch(/^Submitted sweep ([0-9a-f-]{36}) 'lr-grid': 3 trials, 2 at a time, best by test_accuracy \(maximize\)\.\nFollow it: gantry sweep --job \1 --wait$/);
    const job = JSON.parse((await gantry(["--json", "sweep", "--config", file])).out) as Job;
    expect(job).toMatchObject({ kind: "sweep", status: "running", progress: { done: 0, total: 3 } });
    const shown = await gantry(["sweep", "--job", job.id]);
    expect(shown.out.split("\n")[0]).toBe(`Sweep ${job.id}: running, trials 0/3 done, 0 running, 2 queued, no test_accuracy yet.`);
    expect(shown.out.split("\n")[1]).toMatch(/^TRIAL\s+LEARNINGRATE\s+STATUS\s+TEST_ACCURACY\s+RUN$/);
    expect(shown.out).toMatch(/\n3\s+0\.3\s+pending\s+—\s+—/);
    for (const id of [job.id]) await gantry(["jobs", "cancel", id]);
  });

  it("says what is wrong with a config: the server's field message, or the file", async () => {
    const bad = await configFile("bad", sweepConfig({ parameters: { learningRate: { values: [0.1, -1] } } }));
    const human = await gantry(["sweep", "--config", bad]);
    expect(human.code).toBe(1);
    expect(human.err).toMatch(/^error: config\.parameters\.learningRate: -1 is not a valid value: .* \(BAD_REQUEST\)$/);
    expect(JSON.parse((await gantry(["--json", "sweep", "--config", bad])).out)).toMatchObject({ error: { code: "BAD_REQUEST", field: "config.parameters.learningRate" } });
    const grid = await configFile("grid-big", sweepConfig({ maxRuns: 2 }));
    expect((await gantry(["sweep", "--config", grid])).err).toMatch(/^error: config\.maxRuns: the grid has 3 trials/);
    expect((await gantry(["sweep", "--config", path.join(artifactRoot, "missing.json")])).err).toMatch(/^error: cannot read --config .*missing\.json/);
    expect((await gantry(["sweep"])).err).toBe("error: sweep needs either --config <file> (a new sweep) or --job <jobId> (an existing one)");
  });

  it("--wait follows the sweep (progress on stderr) and prints its trials with the best; --json answers the view", async () => {
    const stop = standInWorker();
    try {
      const file = await configFile("wait", sweepConfig({ name: "followed" }));
      const { code, out, err } = await gantry(["sweep", "--config", file, "--wait"]);
      expect(code).toBe(0);
      const progress = err.split("\n");
      expect(progress[0]).toMatch(/^Submitted sweep [0-9a-f-]{36} 'followed'/);
      expect(progress.at(-1)).toBe("trials 3/3 done, 0 running, 0 queued, best test_accuracy=0.3 (trial 3)");
      const lines = out.split("\n");
      expect(lines[0]).toMatch(/^Sweep [0-9a-f-]{36}: succeeded, trials 3\/3 done/);
      expect(lines.slice(2, 5).map((l) => l.split(/\s+/).slice(0, 4))).toEqual([
        ["1", "0.01", "succeeded", "0.01"],
        ["2", "0.1", "succeeded", "0.1"],
        ["3", "*", "0.3", "succeeded"],
      ]);
      expect(lines.at(-1)).toMatch(/^best: trial 3, test_accuracy = 0\.3, run [0-9a-f-]{36}$/);

      const json = await gantry(["--json", "sweep", "--config", await configFile("wait-json", sweepConfig({ parameters: { learningRate: { values: [0.2, 0.05] } } })), "--wait"]);
      expect(json.code).toBe(0);
      expect(json.err).toBe("");
      const view = JSON.parse(json.out) as SweepView;
      expect(view).toMatchObject({ sweep: { status: "succeeded", result: { value: 0.2, trials: 2, failed: 0 } }, best: { index: 0, value: 0.2 }, parameters: ["learningRate"] });
      expect(view.trials.map((t) => [t.values.learningRate, t.status, t.metrics.test_accuracy])).toEqual([
        [0.2, "succeeded", 0.2],
        [0.05, "succeeded", 0.05],
      ]);
    } finally {
      await stop();
    }
  });

  it("the client's sweeps API: submit, get, wait; errors are GantryApiError with the field", async () => {
    const client = createGantryClient({ url: server.url, apiKey: org.keys.all.secret });
    const error = await client.sweeps.submit({ ...sweepConfig(), metric: "" } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GantryApiError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", field: "config.metric" });
    const job = await client.sweeps.submit(sweepConfig({ concurrency: 1 }) as never);
    expect((await client.sweeps.get(job.id)).trials.map((t) => t.status)).toEqual(["queued", "pending", "pending"]);
    await client.jobs.cancel(job.id);
    expect((await client.sweeps.wait(job.id, { intervalMs: 10 })).sweep.status).toBe("cancelled");
  });
});
