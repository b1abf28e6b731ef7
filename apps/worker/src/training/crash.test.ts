import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createFsArtifactStore } from "@gantry/api/artifacts";
import type { OrgContext } from "@gantry/api/jobs";
import { getJob, recoverStaleJobs, submitTrainingJob } from "@gantry/api/jobs";
import { binaryCsv, createOrgFixture, fixtureContext, until, uploadCsvDataset } from "@gantry/api/testing";
import { getMetricHistory, listRunArtifacts } from "@gantry/api/tracking";
import { and, eq, sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { runTags } from "@gantry/schema";

/*
 * The acceptance test of crash recovery, with the real worker process: kill -9 it mid-training,
 * start another, and the job is retaken once and succeeds with a clean run.
 */

const tdb = await createTestDatabase();
const artifactDir = await mkdtemp(path.join(tmpdir(), "gantry-crash-"));
const store = createFsArtifactStore(artifactDir);
const cwd = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let ctx: OrgContext;
const children: ReturnType<typeof spawn>[] = [];

beforeAll(async () => {
  ctx = fixtureContext(tdb.db, await createOrgFixture(tdb.db, "crash"));
  await uploadCsvDataset(ctx, store, "toy", binaryCsv({ rows: 1200, seed: 3 }));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await tdb.drop();
});

const staleMs = 3000;

/** The real worker, role `jobs`; resolves once it says it is ready. */
function startWorker() {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "jobs"], {
    cwd,
    env: { ...process.env, DATABASE_URL: tdb.url, GANTRY_ARTIFACT_DIR: artifactDir, GANTRY_JOB_STALE_MS: String(staleMs), GANTRY_JOB_HEARTBEAT_MS: "500", GANTRY_SHUTDOWN_TIMEOUT_MS: "2000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready \(role jobs/.test(output)) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, ready, exited, output: () => output };
}

describe("a worker killed mid-training", () => {
  it("is replaced: the job is retaken once (attempt 2) and succeeds with one run, each epoch logged once, one pipeline", { timeout: 300_000 }, async () => {
    const epochs = 20;
    const first = startWorker();
    await first.ready;
    const job = await submitTrainingJob(ctx, { dataset: { name: "toy" }, target: "label", epochs, batchSize: 8, model: { hiddenLayers: [16, 8] }, experiment: "Crash" });
    await until(() => getJob(ctx, job.id), (j) => (j.progress.epoch ?? 0) >= 2 || j.status !== "queued" && j.status !== "running", "epoch 2", 240_000);
    expect((await getJob(ctx, job.id)).status).toBe("running");
    first.child.kill("SIGKILL");
    await first.exited;
    const crashed = await getJob(ctx, job.id);
    expect(crashed).toMatchObject({ status: "running", attempts: 1 });
    const runId = crashed.runId ?? "";
    expect((await getMetricHistory(ctx, { runId, key: "loss" })).metrics.length).toBeGreaterThanOrEqual(2);

    const second = startWorker();
    await second.ready;
    const done = await until(() => getJob(ctx, job.id), (j) => j.status === "succeeded" || j.status === "failed", "the retake to finish", 240_000);
    expect(done).toMatchObject({ status: "succeeded", attempts: 2, runId, error: null });

    const tagged = await tdb.db.select().from(runTags).where(and(eq(runTags.key, "gantry.job_id"), eq(runTags.value, job.id)));
    expect(tagged.map((t) => t.runId)).toEqual([runId]);
    for (const key of ["loss", "val_loss"]) {
      const history = await getMetricHistory(ctx, { runId, key });
      expect(history.metrics.map((m) => m.step)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
    }
    const model = await listRunArtifacts(ctx, { runId, path: "model" });
    expect(model.files.filter((f) => f.path === "model/pipeline.json")).toHaveLength(1);

    // pg-boss holds the dead worker's message and the retake's, and nothing sends a third.
    expect(await recoverStaleJobs(tdb.db, { staleMs, maxAttempts: 3 })).toEqual({ requeued: [], failed: [], cancelled: [] });
    const sent = [...(await tdb.db.execute<{ state: string }>(sql`select state from pgboss.job where name = 'train' and data->>'jobId' = ${job.id} order by created_on`))];
    expect(sent.map((m) => m.state)).toEqual(["active", "completed"]);
    expect(second.output()).toContain(`train: re-queued ${job.id}`);

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
