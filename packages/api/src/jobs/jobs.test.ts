import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { and, eq, sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { auditEvents, datasetVersions, GantryError, jobs } from "@gantry/schema";
import type { TrainingSpecInput } from "@gantry/schema";

import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import type { OrgFixture } from "../testing";
import { binaryCsv, createOrgFixture, expectDenied, fixtureContext, uploadCsvDataset } from "../testing";
import { cancelJob } from "./cancel";
import { claimJob } from "./lease";
import { enqueueTrainingJob, PGBOSS_SCHEMA, TRAIN_QUEUE } from "./queue";
import { getJob, listJobLogs, listJobs } from "./read";
import { retryJob, submitTrainingJob } from "./submit";
import type { StoredTrainingSpec } from "./submit";

const tdb = await createTestDatabase();
const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-jobs-")));
let org: OrgFixture;
let ctx: OrgContext;
let boss: PgBoss;
const spec = (over: Partial<TrainingSpecInput> = {}): TrainingSpecInput => ({ dataset: { name: "toy" }, target: "label", epochs: 2, model: { hiddenLayers: [4] }, ...over });

beforeAll(async () => {
  // pg-boss's schema and queue, as a started worker leaves them; no worker consumes here.
  boss = new PgBoss({ connectionString: tdb.url, schema: PGBOSS_SCHEMA, supervise: false, schedule: false });
  await boss.start();
  await boss.createQueue(TRAIN_QUEUE);
  org = await createOrgFixture(tdb.db, "jobs");
  ctx = fixtureContext(tdb.db, org);
  await uploadCsvDataset(ctx, store, "toy", binaryCsv({ rows: 40, seed: 1 }));
  await uploadCsvDataset(ctx, store, "toy", binaryCsv({ rows: 40, seed: 2 }));
});
afterAll(async () => {
  await boss.stop({ graceful: false });
  await tdb.drop();
});

const jobCount = async () => (await tdb.db.select({ n: sql<number>`count(*)::int` }).from(jobs))[0]?.n ?? 0;
const messagesOf = (jobId: string) =>
  tdb.db.execute<{ id: string; singleton_key: string | null }>(sql`select id, singleton_key from pgboss.job where name = ${TRAIN_QUEUE} and data->>'jobId' = ${jobId}`);
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error as GantryError,
  );

describe("submitTrainingJob", () => {
  it("pins the dataset to a version (latest → 2, with id and sha256), queues the job with its message and an audit event", async () => {
    const job = await submitTrainingJob(ctx, spec());
    expect(job).toMatchObject({ kind: "train", status: "queued", attempts: 0, runId: null, createdBy: org.users.owner.id, progress: { fraction: 0 } });
    const stored = job.spec as StoredTrainingSpec;
    expect(stored.dataset).toMatchObject({ name: "toy", version: 2 });
    expect(stored.dataset.versionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored.dataset.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).toMatchObject({ epochs: 2, target: "label", optimizer: "adam", experiment: "Training" });
    expect([...(await messagesOf(job.id))]).toEqual([expect.objectContaining({ singleton_key: `${job.id}:0` })]);
    const [audit] = await tdb.db.select().from(auditEvents).where(and(eq(auditEvents.action, "job.submit"), eq(auditEvents.targetId, job.id)));
    expect(audit?.data).toMatchObject({ kind: "train", dataset: "toy@2" });
    const logs = await listJobLogs(ctx, { jobId: job.id });
    expect(logs.items.map((l) => l.message)).toEqual([expect.stringContaining("Queued: train a model (task inferred) on toy@2, target 'label', 2 epochs")]);
  });

  it("an explicit version stays that version", async () => {
    const job = await submitTrainingJob(ctx, spec({ dataset: { name: "toy", version: 1 } }));
    expect((job.spec as StoredTrainingSpec).dataset.version).toBe(1);
  });

  it("refuses a bad spec naming the field, and writes no job", async () => {
    const before = await jobCount();
    const epochs = await failure(submitTrainingJob(ctx, spec({ epochs: 0 })));
    expect(epochs).toBeInstanceOf(GantryError);
    expect(epochs).toMatchObject({ code: "INVALID_INPUT", field: "spec.epochs" });
    expect(epochs.message).toMatch(/^spec\.epochs: /);
    const unknown = await failure(submitTrainingJob(ctx, { ...spec(), learningrate: 0.1 } as TrainingSpecInput));
    expect(unknown).toMatchObject({ code: "INVALID_INPUT" });
    expect(unknown.message).toMatch(/^spec: .*learningrate/);
    const nested = await failure(submitTrainingJob(ctx, spec({ model: { hiddenLayers: [4], dropuot: 0.1 } as never })));
    expect(nested.message).toMatch(/^spec\.model: .*dropuot/);
    expect(await jobCount()).toBe(before);
  });

  it("refuses columns the dataset version lacks, and unknown datasets and versions, clearly", async () => {
    const before = await jobCount();
    expect(await failure(submitTrainingJob(ctx, spec({ target: "lable" })))).toMatchObject({
      code: "INVALID_INPUT",
      field: "spec.target",
      message: "target column 'lable' not in dataset 'toy@2'",
    });
    expect(await failure(submitTrainingJob(ctx, spec({ features: ["x1", "x3"] })))).toMatchObject({ field: "spec.features", message: "feature column 'x3' not in dataset 'toy@2'" });
    expect(await failure(submitTrainingJob(ctx, spec({ features: ["x1", "label"] })))).toMatchObject({ field: "spec.features" });
    expect(await failure(submitTrainingJob(ctx, spec({ split: { kind: "time", column: "when" } })))).toMatchObject({ message: "time split column 'when' not in dataset 'toy@2'" });
    expect(await failure(submitTrainingJob(ctx, spec({ dataset: { name: "nope" } })))).toMatchObject({ code: "NOT_FOUND", message: "No dataset named 'nope'" });
    expect(await failure(submitTrainingJob(ctx, spec({ dataset: { name: "toy", version: 9 } })))).toMatchObject({ code: "NOT_FOUND", message: "Dataset 'toy' has no version 9" });
    expect(await failure(submitTrainingJob(ctx, spec({ register: { model: "m", deploy: "no-such-endpoint" } })))).toMatchObject({
      code: "NOT_FOUND",
      field: "spec.register.deploy",
      message: "spec.register.deploy: no endpoint named 'no-such-endpoint'",
    });
    expect(await jobCount()).toBe(before);
  });

  it("refuses a constant target and a version too large to train in memory, from what the version row knows", async () => {
    const before = await jobCount();
    await uploadCsvDataset(ctx, store, "one-class", "x,label\n1,a\n2,a\n3,a\n");
    expect(await failure(submitTrainingJob(ctx, spec({ dataset: { name: "one-class" } })))).toMatchObject({
      code: "INVALID_INPUT",
      field: "spec.target",
      message: "target column 'label' is constant in dataset 'one-class@1' (one value: a): there is nothing to learn",
    });
    const big = await uploadCsvDataset(ctx, store, "big", "x,label\n1,a\n2,b\n");
    // The row count as a 12M-row upload would record it (uploading one here would take minutes).
    await tdb.db.update(datasetVersions).set({ rowCount: 12_000_000 }).where(eq(datasetVersions.id, big.id));
    expect(await failure(submitTrainingJob(ctx, spec({ dataset: { name: "big" } })))).toMatchObject({ code: "INVALID_INPUT", field: "spec.dataset", message: expect.stringMatching(/^dataset 'big@1' has 12,000,000 rows × 2 columns; .* at most 20,000,000 cells$/) });
    expect(await jobCount()).toBe(before);
  });

  it("keeps the parent job, schedule and parent run it is given (sweeps, schedules)", async () => {
    const parent = await submitTrainingJob(ctx, spec());
    const scheduleId = "0190a000-0000-7000-8000-000000000001";
    const child = await submitTrainingJob(ctx, spec(), { parentJobId: parent.id, scheduleId, parentRunId: org.run.info.id });
    expect(child).toMatchObject({ parentJobId: parent.id, scheduleId });
    expect((child.spec as StoredTrainingSpec).parentRunId).toBe(org.run.info.id);
    expect((await failure(submitTrainingJob(ctx, spec(), { parentRunId: "0190a000-0000-7000-8000-00000000dead" }))).code).toBe("NOT_FOUND");
    expect((await listJobs(ctx, { parentJobId: parent.id })).items.map((j) => j.id)).toEqual([child.id]);
    const topLevel = (await listJobs(ctx, { topLevel: true, limit: 200 })).items.map((j) => j.id);
    expect(topLevel).toContain(parent.id);
    expect(topLevel).not.toContain(child.id);
  });

  it("writes the message in the caller's transaction: a rollback leaves no message", async () => {
    const job = await submitTrainingJob(ctx, spec());
    await tdb.db
      .transaction(async (tx) => {
        await enqueueTrainingJob(tx, job.id, 7);
        throw new Error("roll back");
      })
      .catch(() => undefined);
    expect([...(await messagesOf(job.id))].map((m) => m.singleton_key)).toEqual([`${job.id}:0`]);
  });
});

describe("list, get, logs", () => {
  it("lists newest first with filters and keyset pages", async () => {
    const all = await listJobs(ctx, { limit: 200 });
    expect(all.items.length).toBeGreaterThan(3);
    const ids = all.items.map((j) => j.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    const first = await listJobs(ctx, { limit: 2 });
    const second = await listJobs(ctx, { limit: 2, cursor: first.nextCursor ?? undefined });
    expect([...first.items, ...second.items].map((j) => j.id)).toEqual(ids.slice(0, 4));
    expect((await listJobs(ctx, { kind: "sweep" })).items).toEqual([]);
    const cancelled = await cancelJob(ctx, ids[0] ?? "");
    expect((await listJobs(ctx, { status: "cancelled" })).items.map((j) => j.id)).toEqual([cancelled.id]);
    expect((await listJobs(ctx, { status: ["queued", "cancelled"], limit: 200 })).items).toHaveLength(ids.length);
  });

  it("get answers NOT_FOUND for unknown and malformed ids", async () => {
    expect((await failure(getJob(ctx, "0190a000-0000-7000-8000-00000000beef"))).code).toBe("NOT_FOUND");
    expect((await failure(getJob(ctx, "nope"))).code).toBe("NOT_FOUND");
  });

  it("logs page after an id (live tailing)", async () => {
    const job = await submitTrainingJob(ctx, spec());
    const first = await listJobLogs(ctx, { jobId: job.id });
    expect(first.items).toHaveLength(1);
    const none = await listJobLogs(ctx, { jobId: job.id, after: first.lastId });
    expect(none).toEqual({ items: [], lastId: first.lastId });
    await cancelJob(ctx, job.id);
    const next = await listJobLogs(ctx, { jobId: job.id, after: first.lastId });
    expect(next.items.map((l) => [l.level, l.message])).toEqual([["warn", expect.stringMatching(/^Cancelled by .* before it started$/)]]);
  });
});

describe("cancel and retry", () => {
  it("a queued job is cancelled at once; a second cancel is refused", async () => {
    const job = await submitTrainingJob(ctx, spec());
    const cancelled = await cancelJob(ctx, job.id);
    expect(cancelled).toMatchObject({ status: "cancelled", cancelRequested: true });
    expect(cancelled.finishedAt).toBeInstanceOf(Date);
    expect(await failure(cancelJob(ctx, job.id))).toMatchObject({ code: "PRECONDITION_FAILED", message: `Job ${job.id} has already been cancelled` });
    // Its queue message finds nothing to claim.
    expect(await claimJob(tdb.db, { jobId: job.id, workerId: "w", staleMs: 1000 })).toBeNull();
  });

  it("a running job only gets cancelRequested (its worker stops it)", async () => {
    const job = await submitTrainingJob(ctx, spec());
    await claimJob(tdb.db, { jobId: job.id, workerId: "w", staleMs: 1000 });
    const requested = await cancelJob(ctx, job.id);
    expect(requested).toMatchObject({ status: "running", cancelRequested: true, finishedAt: null });
  });

  it("retry makes a new job with the same pinned spec; only failed or cancelled jobs", async () => {
    const job = await submitTrainingJob(ctx, spec({ dataset: { name: "toy", version: 1 } }), { parentRunId: org.run.info.id });
    expect(await failure(retryJob(ctx, job.id))).toMatchObject({ code: "PRECONDITION_FAILED" });
    await cancelJob(ctx, job.id);
    const again = await retryJob(ctx, job.id);
    expect(again.id).not.toBe(job.id);
    expect(again).toMatchObject({ status: "queued", attempts: 0 });
    expect(again.spec).toEqual(job.spec);
    expect((await listJobLogs(ctx, { jobId: again.id })).items[0]?.message).toBe(`Retry of job ${job.id}`);
    const [audit] = await tdb.db.select().from(auditEvents).where(and(eq(auditEvents.action, "job.retry"), eq(auditEvents.targetId, again.id)));
    expect(audit?.data).toMatchObject({ retryOf: job.id });
  });
});

describe("job router", () => {
  it("submits through tRPC with the field named in bad-input errors; viewers cannot submit", async () => {
    const owner = org.as("owner");
    const job = await owner.job.submitTraining({ spec: spec() });
    expect((await owner.job.get({ jobId: job.id })).status).toBe("queued");
    const bad = await expectDenied(owner.job.submitTraining({ spec: spec({ epochs: -1 }) }), ["BAD_REQUEST"]);
    // In-process callers get zod's issues; the wire's error formatter turns them into "spec.epochs: …".
    expect(JSON.parse(bad.message)).toMatchObject([{ path: ["spec", "epochs"] }]);
    const missing = await expectDenied(owner.job.submitTraining({ spec: spec({ target: "nope" }) }), ["BAD_REQUEST"]);
    expect(missing.message).toBe("target column 'nope' not in dataset 'toy@2'");
    await expectDenied(org.as("viewer").job.submitTraining({ spec: spec() }), ["FORBIDDEN"]);
    expect((await org.as("viewer").job.list({})).items.length).toBeGreaterThan(0);
    const cancelled = await owner.job.cancel({ jobId: job.id });
    expect(cancelled.status).toBe("cancelled");
    const retried = await owner.job.retry({ jobId: job.id });
    expect(retried.status).toBe("queued");
    expect((await owner.job.logs({ jobId: job.id })).items.length).toBe(2);
  });
});
