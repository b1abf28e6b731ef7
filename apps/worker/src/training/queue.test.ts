import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createFsArtifactStore } from "@gantry/api/artifacts";
import type { OrgContext } from "@gantry/api/jobs";
import { cancelJob, getJob, listJobLogs, submitTrainingJob } from "@gantry/api/jobs";
import { binaryCsv, createOrgFixture, fixtureContext, until, uploadCsvDataset } from "@gantry/api/testing";
import { sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { selectBackend } from "@gantry/ml";

import { startJobs } from "../jobs";

const tdb = await createTestDatabase();
const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-queue-")));
let ctx: OrgContext;
let backend = "";

beforeAll(async () => {
  backend = (await selectBackend()).name;
  ctx = fixtureContext(tdb.db, await createOrgFixture(tdb.db, "queue"));
  await uploadCsvDataset(ctx, store, "toy", binaryCsv({ rows: 120 }));
  await uploadCsvDataset(ctx, store, "long", binaryCsv({ rows: 4000 }));
});
afterAll(() => tdb.drop());

const start = (beat: { staleMs: number; heartbeatMs: number } = { staleMs: 10_000, heartbeatMs: 200 }) =>
  startJobs({
    db: tdb.db,
    url: tdb.url,
    log: () => {},
    training: { store, workerId: "queue-test", ...beat, maxAttempts: 3, concurrency: 1, backend },
  });
const messages = async (jobId: string) =>
  [...(await tdb.db.execute<{ state: string; output: unknown }>(sql`select state, output from pgboss.job where name = 'train' and data->>'jobId' = ${jobId} order by created_on`))];

describe("the train queue (pg-boss, in process)", () => {
  it("a submitted job is picked up, trained and succeeded; its message completes once", async () => {
    const jobs = await start();
    try {
      const job = await submitTrainingJob(ctx, { dataset: { name: "toy" }, target: "label", epochs: 2, batchSize: 32, model: { hiddenLayers: [4] } });
      const done = await until(() => getJob(ctx, job.id), (j) => j.status === "succeeded" || j.status === "failed", "the job to finish", 90_000);
      expect(done).toMatchObject({ status: "succeeded", attempts: 1 });
      const sent = await until(() => messages(job.id), (m) => m[0]?.state === "completed", "the message to complete", 90_000);
      expect(sent).toEqual([{ state: "completed", output: { outcome: "succeeded" } }]);
    } finally {
      await jobs.stop(5_000);
    }
  });

  it("stopping the worker hands a running job back to the queue (queued again, with a new message)", async () => {
    const jobs = await start();
    const job = await submitTrainingJob(ctx, { dataset: { name: "toy" }, target: "label", epochs: 1000, batchSize: 16, model: { hiddenLayers: [4] } });
    try {
      await until(() => getJob(ctx, job.id), (j) => (j.progress.epoch ?? 0) >= 1, "epoch 1", 90_000);
    } finally {
      await jobs.stop(10_000);
    }
    expect(await getJob(ctx, job.id)).toMatchObject({ status: "queued", attempts: 1 });
    expect((await listJobLogs(ctx, { jobId: job.id, limit: 1000 })).items.at(-1)?.message).toMatch(/^Worker queue-test shutting down at epoch \d+\/1000: handed back to the queue$/);
    expect((await messages(job.id)).map((m) => m.state)).toEqual(["completed", "created"]);
    await cancelJob(ctx, job.id);
  });

  it("a cancel reaches the running job by NOTIFY, mid-epoch: no heartbeat (a minute away) or epoch write (none yet) could have carried it", async () => {
    const jobs = await start({ staleMs: 120_000, heartbeatMs: 60_000 });
    try {
      // One epoch of ~2,800 single-row batches: seconds of training with no epoch boundary.
      const job = await submitTrainingJob(ctx, { dataset: { name: "long" }, target: "label", epochs: 1, batchSize: 1, split: { kind: "random", validation: 0, test: 0.3 }, model: { hiddenLayers: [4] } });
      await until(() => getJob(ctx, job.id), (j) => j.status === "running", "the job to start", 90_000);
      await cancelJob(ctx, job.id);
      const done = await until(() => getJob(ctx, job.id), (j) => j.status !== "running", "the job to stop", 90_000);
      expect(done.status).toBe("cancelled");
      expect((await listJobLogs(ctx, { jobId: job.id, limit: 1000 })).items.at(-1)?.message).toBe("Cancelled at epoch 0/1");
    } finally {
      await jobs.stop(10_000);
    }
  });
});
