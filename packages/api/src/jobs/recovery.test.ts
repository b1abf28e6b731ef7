import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eq, sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { jobs } from "@gantry/schema";

import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { binaryCsv, createOrgFixture, fixtureContext, uploadCsvDataset } from "../testing";
import { getRun } from "../tracking/runs";
import { cancelJob } from "./cancel";
import { claimJob, heartbeatJob, holdLease, JobLeaseLostError, leaseOf, releaseJob } from "./lease";
import { PGBOSS_SCHEMA, TRAIN_QUEUE } from "./queue";
import { getJob, listJobLogs } from "./read";
import { recoverStaleJobs } from "./recovery";
import { submitTrainingJob } from "./submit";
import { attachTrainingRun } from "./training-run";

const tdb = await createTestDatabase();
const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-recovery-")));
let ctx: OrgContext;
let boss: PgBoss;
const staleMs = 1000;
const options = { staleMs, maxAttempts: 3 };

beforeAll(async () => {
  boss = new PgBoss({ connectionString: tdb.url, schema: PGBOSS_SCHEMA, supervise: false, schedule: false });
  await boss.start();
  await boss.createQueue(TRAIN_QUEUE);
  const org = await createOrgFixture(tdb.db, "recovery");
  ctx = fixtureContext(tdb.db, org);
  await uploadCsvDataset(ctx, store, "toy", binaryCsv({ rows: 30 }));
});
afterAll(async () => {
  await boss.stop({ graceful: false });
  await tdb.drop();
});

const submit = () => submitTrainingJob(ctx, { dataset: { name: "toy" }, target: "label", epochs: 1 });
/** A claim that must succeed. */
async function claimed(jobId: string, workerId: string) {
  const row = await claimJob(tdb.db, { jobId, workerId, staleMs });
  if (!row) throw new Error(`${workerId} could not claim ${jobId}`);
  return row;
}
/** What pg-boss holds for a job, oldest first. */
const messages = async (jobId: string) =>
  [...(await tdb.db.execute<{ state: string; singleton_key: string }>(sql`select state, singleton_key from pgboss.job where name = ${TRAIN_QUEUE} and data->>'jobId' = ${jobId} order by created_on`))];
/** Its message fetched by a worker, as pg-boss does before calling a handler. */
const fetchAll = () => boss.fetch(TRAIN_QUEUE, { batchSize: 100 });
/** Time passes for a running job: its heartbeat and the fetch of its message are `ms` old. */
async function ageHeartbeat(jobId: string, ms: number) {
  const ago = sql`now() - make_interval(secs => ${ms / 1000}::float8)`;
  await tdb.db.update(jobs).set({ heartbeatAt: ago }).where(eq(jobs.id, jobId));
  await tdb.db.execute(sql`update pgboss.job set started_on = ${ago} where data->>'jobId' = ${jobId} and state = 'active'`);
}

describe("claims and leases", () => {
  it("one claim wins; a stale job is retaken (attempt 2) and the first lease is lost", async () => {
    const job = await submit();
    const first = await claimed(job.id, "w1");
    expect(first).toMatchObject({ status: "running", attempts: 1, workerId: "w1" });
    expect(first.startedAt).toBeInstanceOf(Date);
    expect(await claimJob(tdb.db, { jobId: job.id, workerId: "w2", staleMs })).toBeNull();
    const lease1 = leaseOf(first, "w1");
    expect(await heartbeatJob(tdb.db, lease1)).toEqual({ owned: true, cancelRequested: false });

    await ageHeartbeat(job.id, 5000);
    const second = await claimed(job.id, "w2");
    expect(second).toMatchObject({ attempts: 2, workerId: "w2" });
    expect(await heartbeatJob(tdb.db, lease1)).toEqual({ owned: false, cancelRequested: false });
    await expect(holdLease(tdb.db, lease1)).rejects.toBeInstanceOf(JobLeaseLostError);
    await cancelJob(ctx, job.id);
    expect(await heartbeatJob(tdb.db, leaseOf(second, "w2"))).toEqual({ owned: true, cancelRequested: true });
    expect(await claimJob(tdb.db, { jobId: "not-a-uuid", workerId: "w", staleMs })).toBeNull();
  });

  it("a retake reuses the run and drops the metrics the dead attempt logged", async () => {
    const job = await submit();
    const lease = leaseOf(await claimed(job.id, "w1"), "w1");
    const { runId } = await attachTrainingRun(ctx, lease, { experiment: "Recovery", tags: { "gantry.job_id": job.id }, existingRunId: null });
    expect((await getJob(ctx, job.id)).runId).toBe(runId);
    await tdb.db.execute(sql`insert into metric_chunks (org_id, run_id, key, first_step, last_step, count, steps, values, timestamps) values (${ctx.orgId}, ${runId}, 'loss', 1, 1, 1, '{1}', '{1}', '{1}')`);
    await ageHeartbeat(job.id, 5000);
    const retake = await claimed(job.id, "w2");
    const again = await attachTrainingRun(ctx, leaseOf(retake, "w2"), { experiment: "Recovery", tags: { "gantry.job_id": job.id }, existingRunId: retake.runId });
    expect(again).toEqual({ runId, retaken: true });
    const [{ n } = { n: -1 }] = await tdb.db.execute<{ n: number }>(sql`select count(*)::int as n from metric_chunks where run_id = ${runId}`);
    expect(n).toBe(0);
    expect((await getRun(ctx, runId)).info.status).toBe("RUNNING");
  });

  it("a worker shutting down hands its job back to the queue with a fresh message", async () => {
    const job = await submit();
    await fetchAll();
    const lease = leaseOf(await claimed(job.id, "w1"), "w1");
    expect(await releaseJob(tdb.db, lease, "Worker w1 shutting down")).toBe(true);
    expect(await getJob(ctx, job.id)).toMatchObject({ status: "queued", attempts: 1 });
    expect((await messages(job.id)).map((m) => [m.state, m.singleton_key])).toEqual([
      ["active", `${job.id}:0`],
      ["created", `${job.id}:1`],
    ]);
    expect(await releaseJob(tdb.db, lease, "again")).toBe(false);
  });
});

describe("recoverStaleJobs", () => {
  it("re-queues a job whose worker died, once however often it runs, and not while the retake is live", async () => {
    const job = await submit();
    await fetchAll(); // the dead worker's message: active
    await claimJob(tdb.db, { jobId: job.id, workerId: "dead", staleMs });
    expect((await recoverStaleJobs(tdb.db, options)).requeued).not.toContain(job.id); // heartbeat still fresh
    await ageHeartbeat(job.id, 5000);
    const passes = await Promise.all([recoverStaleJobs(tdb.db, options), recoverStaleJobs(tdb.db, options)]);
    expect(passes.flatMap((p) => p.requeued).filter((id) => id === job.id)).toHaveLength(1);
    expect((await recoverStaleJobs(tdb.db, options)).requeued).not.toContain(job.id);
    expect((await messages(job.id)).map((m) => [m.state, m.singleton_key])).toEqual([
      ["active", `${job.id}:0`],
      ["created", `${job.id}:1`],
    ]);
    expect((await listJobLogs(ctx, { jobId: job.id })).items.at(-1)?.message).toBe("Worker dead stopped responding during attempt 1; re-queued");
    // Fetched by a worker that has not claimed yet: still live, nothing more is sent.
    await fetchAll();
    expect((await recoverStaleJobs(tdb.db, options)).requeued).not.toContain(job.id);
  });

  it("enqueues a queued job whose message was lost", async () => {
    const job = await submit();
    await tdb.db.execute(sql`delete from pgboss.job where data->>'jobId' = ${job.id}`);
    expect((await recoverStaleJobs(tdb.db, options)).requeued).toContain(job.id);
    expect((await recoverStaleJobs(tdb.db, options)).requeued).not.toContain(job.id);
    expect((await messages(job.id)).map((m) => m.state)).toEqual(["created"]);
  });

  it("gives up after maxAttempts, failing the job and its run", async () => {
    const job = await submit();
    await fetchAll();
    const { runId } = await attachTrainingRun(ctx, leaseOf(await claimed(job.id, "dead"), "dead"), { experiment: "Recovery", tags: {}, existingRunId: null });
    await tdb.db.update(jobs).set({ attempts: 3 }).where(eq(jobs.id, job.id));
    await ageHeartbeat(job.id, 5000);
    expect((await recoverStaleJobs(tdb.db, options)).failed).toContain(job.id);
    expect(await getJob(ctx, job.id)).toMatchObject({ status: "failed", error: "Failed: the worker running it stopped responding 3 times (last dead); giving up" });
    expect((await getRun(ctx, runId)).info.status).toBe("FAILED");
  });

  it("cancels a dead job whose cancel was asked for", async () => {
    const job = await submit();
    await fetchAll();
    await claimJob(tdb.db, { jobId: job.id, workerId: "dead", staleMs });
    await cancelJob(ctx, job.id);
    await ageHeartbeat(job.id, 5000);
    expect((await recoverStaleJobs(tdb.db, options)).cancelled).toContain(job.id);
    expect((await getJob(ctx, job.id)).status).toBe("cancelled");
  });
});
