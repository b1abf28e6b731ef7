import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eq, sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { datasetVersions, endpoints, jobs, monitors, retrainRuns } from "@gantry/schema";

import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { readDatasetTable, resolveDatasetVersion } from "../datasets";
import { createMonitor, evaluateMonitor } from "../monitoring";
import { describeZodError } from "../parse";
import { registerVersionFromRun } from "../registry/versions";
import { createEndpoint, createPredictionLogWriter, ensurePredictionPartitions, recordFeedback } from "../serving";
import type { OrgFixture } from "../testing";
import { binaryCsv, callerFor, createFakeModelRun, createOrgFixture, fixtureContext, uploadCsvDataset } from "../testing";
import { createRetrainPolicy, startRetrainRun } from ".";

/*
 * Labelled production rows as a new dataset version, on real logged traffic and real feedback:
 * which rows qualify (labelled, in the window, answered, the org's own), how each becomes a row of
 * the dataset (inputs by column, the label in the target's representation, a missing input empty,
 * a row that does not fit skipped and counted), that a later run adds only what is new, that
 * nothing qualifying means no version, and that a run that fails leaves no version behind.
 */

const root = await mkdtemp(path.join(tmpdir(), "gantry-production-rows-"));
const tdb = await createTestDatabase();
const store = createFsArtifactStore(root);
let a: OrgFixture;
let b: OrgFixture;
let ctx: OrgContext;
let ctxB: OrgContext;
let endpointA = "";
let endpointB = "";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const spec = { dataset: { name: "churn" }, target: "label", epochs: 2 };
const rollout = { steps: [100], everyRequests: 20, maxErrorRate: 0.05, maxP99Ms: 5_000, minRequests: 10 };

beforeAll(async () => {
  a = await createOrgFixture(tdb.db, "rows-a");
  b = await createOrgFixture(tdb.db, "rows-b");
  ctx = fixtureContext(tdb.db, a);
  ctxB = fixtureContext(tdb.db, b);
  for (const [c, fixture] of [[ctx, a], [ctxB, b]] as const) {
    await uploadCsvDataset(c, store, "churn", binaryCsv({ rows: 200 }));
    const runId = await createFakeModelRun(c, store, { experimentId: fixture.experiment.id });
    await registerVersionFromRun(c, store, { name: "scorer", runId });
  }
  endpointA = (await createEndpoint(ctx, { name: "scorer-api" })).id;
  endpointB = (await createEndpoint(ctxB, { name: "scorer-api" })).id;
  await ensurePredictionPartitions(tdb.db, { from: new Date(Date.now() - 10 * DAY), days: 12 });
}, 120_000);
afterAll(() => tdb.drop());

type Logged = { id: string; features: Record<string, unknown>; at?: Date; status?: number; orgId?: string; endpointId?: string };

/** Logs predictions as the serving layer does (one row per request). */
async function log(rows: Logged[]) {
  const writer = createPredictionLogWriter({ db: tdb.db, maxRows: 10_000, log: () => undefined });
  writer.append(
    rows.map((r) => ({
      createdAt: r.at ?? new Date(Date.now() - HOUR),
      requestId: r.id,
      rowIndex: 0,
      orgId: r.orgId ?? a.org.id,
      endpointId: r.endpointId ?? endpointA,
      revision: 1,
      variant: "default",
      modelVersionId: a.org.id,
      unitId: null,
      features: r.features,
      outputs: { label: "yes" },
      latencyMs: 1,
      status: r.status ?? 200,
      error: null,
    })),
  );
  await writer.close(30_000);
}

const label = (c: OrgContext, items: { request_id: string; label?: string | number | boolean; reward?: number }[]) => recordFeedback(c, "scorer-api", { feedback: items });
const versionsOf = async (c: OrgContext) => (await tdb.db.select().from(datasetVersions).where(eq(datasetVersions.orgId, c.orgId))).length;
const runRow = async (id: string) => (await tdb.db.select().from(retrainRuns).where(eq(retrainRuns.id, id)))[0];
const jobDataset = async (id: string | null) => ((await tdb.db.select().from(jobs).where(eq(jobs.id, id ?? "")))[0]?.spec as { dataset: { version: number } }).dataset.version;
const finish = (id: string) => tdb.db.update(retrainRuns).set({ status: "failed" }).where(eq(retrainRuns.id, id));
const resolveEndpointId = async (name: string) => (await tdb.db.select().from(endpoints).where(eq(endpoints.name, name)))[0]?.id ?? "";
const storedFiles = async () => (await readdir(path.join(root, "sha256"), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;

const WORDS = ["yes", "no", "1", "0", "true", "false"];
const TRUTH = [true, false, true, false, true, false];
const COLORS = ["red", "green", "blue"];

describe("production rows in a retraining run", () => {
  let policyId = "";

  it("refuses a bad config with a 4xx naming the field", async () => {
    const base = { name: "bad", model: "scorer", endpoint: "scorer-api", spec, gate: { metric: "test_accuracy" }, rollout };
    await expect(createRetrainPolicy(ctx, { ...base, productionRows: { days: 0 } })).rejects.toMatchObject({ code: "INVALID_INPUT", field: "productionRows.days", message: "productionRows.days: must be at least 1 day" });
    await expect(createRetrainPolicy(ctx, { ...base, productionRows: { days: 2.5 } })).rejects.toMatchObject({ field: "productionRows.days" });
    await expect(createRetrainPolicy(ctx, { ...base, productionRows: { days: 400 } })).rejects.toMatchObject({ field: "productionRows.days" });
    await expect(createRetrainPolicy(ctx, { ...base, productionRows: { maxRows: 0 } })).rejects.toMatchObject({ field: "productionRows.maxRows" });
    await expect(createRetrainPolicy(ctx, { ...base, productionRows: { enabled: "yes" as never } })).rejects.toMatchObject({ field: "productionRows.enabled" });
    await expect(createRetrainPolicy(ctx, { ...base, productionRows: { dayz: 3 } as never })).rejects.toMatchObject({ field: "productionRows" });
    // Through tRPC: BAD_REQUEST, the field named.
    const error: unknown = await a
      .as("member")
      .retrain.create({ ...base, productionRows: { days: -1 } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect(describeZodError((error as { cause: never }).cause).field).toBe("productionRows.days");
    // Left out: off, with the defaults shown.
    expect((await createRetrainPolicy(ctx, { ...base, name: "plain" })).productionRows).toEqual({ enabled: false, days: 7 });
  });

  it("labelled rows of the window become a new version: values by column, the label as the dataset has it, misfits skipped and counted", async () => {
    const good: Logged[] = WORDS.concat(WORDS).map((_, i) => ({ id: `good-${i}`, features: { x1: 10 + i, x2: i / 10, color: COLORS[i % 3] } }));
    const noColor: Logged[] = [0, 1, 2].map((i) => ({ id: `nocolor-${i}`, features: { x1: 30 + i, x2: 1 } }));
    await log([
      ...good,
      ...noColor,
      ...[0, 1, 2, 3, 4].map((i) => ({ id: `unlabelled-${i}`, features: { x1: 50 + i, x2: 0, color: "red" } })),
      ...[0, 1].map((i) => ({ id: `reward-${i}`, features: { x1: 60 + i, x2: 0, color: "red" } })),
      ...[0, 1, 2, 3].map((i) => ({ id: `old-${i}`, features: { x1: 70 + i, x2: 0, color: "red" }, at: new Date(Date.now() - 8 * DAY) })),
      ...[0, 1, 2].map((i) => ({ id: `othersig-${i}`, features: { x1: 80 + i, x9: 1 } })),
      ...[0, 1].map((i) => ({ id: `badvalue-${i}`, features: { x1: "abc", x2: 1, color: "red" } })),
      { id: "badlabel", features: { x1: 90, x2: 0, color: "red" } },
      { id: "failed", features: { x1: 91, x2: 0, color: "red" }, status: 400 },
    ]);
    await label(ctx, [
      ...good.map((r, i) => ({ request_id: r.id, label: WORDS[i % 6] })),
      ...noColor.map((r) => ({ request_id: r.id, label: true })),
      { request_id: "reward-0", reward: 1 },
      { request_id: "reward-1", reward: 0 },
      ...[0, 1, 2, 3].map((i) => ({ request_id: `old-${i}`, label: "yes" })),
      ...[0, 1, 2].map((i) => ({ request_id: `othersig-${i}`, label: "yes" })),
      ...[0, 1].map((i) => ({ request_id: `badvalue-${i}`, label: "no" })),
      { request_id: "badlabel", label: "maybe" },
      { request_id: "failed", label: "yes" },
    ]);
    // Org B: its own endpoint of the same name, and rows of org B that name org A's endpoint. Never A's.
    await log([
      ...[0, 1, 2].map((i) => ({ id: `b-${i}`, features: { x1: 100 + i, x2: 0, color: "red" }, orgId: b.org.id, endpointId: endpointB })),
      ...[0, 1].map((i) => ({ id: `b-on-a-${i}`, features: { x1: 110 + i, x2: 0, color: "red" }, orgId: b.org.id })),
    ]);
    await label(ctxB, [0, 1, 2].map((i) => ({ request_id: `b-${i}`, label: "yes" })));
    await tdb.db.execute(sql`insert into prediction_feedback (id, org_id, endpoint_id, request_id, row_index, label)
      values (gen_random_uuid(), ${b.org.id}, ${endpointA}, 'b-on-a-0', 0, 'yes'), (gen_random_uuid(), ${b.org.id}, ${endpointA}, 'b-on-a-1', 0, 'no')`);

    const policy = await createRetrainPolicy(ctx, { name: "with-rows", model: "scorer", endpoint: "scorer-api", triggers: ["manual"], spec, gate: { metric: "test_accuracy" }, rollout, cooldownMinutes: 0, productionRows: { days: 7 } });
    policyId = policy.id;
    expect(policy.productionRows).toEqual({ enabled: true, days: 7 });
    const { started } = await startRetrainRun(ctx, policy.id, { kind: "manual" }, { store });
    expect(started?.timeline.map((e) => e.step)).toEqual(["trigger", "data", "training"]);
    expect(started?.timeline[1]).toMatchObject({
      message: "15 labelled production rows from the last 7 days added to churn v1: new version 2; skipped 5 whose inputs do not match the dataset's columns, 1 whose label is not a boolean (true/false, yes/no, 1/0)",
      links: { dataset: "churn/2" },
    });
    expect(started?.timeline[2]?.message).toBe("training job submitted on churn v2");
    expect(await jobDataset(started?.jobId ?? null)).toBe(2);
    expect((await runRow(started?.id ?? ""))?.productionRows).toMatchObject({ baseVersion: 1, version: 2, added: 15, skipped: 6 });

    const [v1, v2] = [await resolveDatasetVersion(ctx, { name: "churn", version: 1 }), await resolveDatasetVersion(ctx, { name: "churn", version: 2 })];
    expect(v2.rowCount).toBe(215);
    expect(v2.columns.map((c) => [c.name, c.type])).toEqual(v1.columns.map((c) => [c.name, c.type]));
    const table = await readDatasetTable(ctx, store, v2.id);
    const added = new Map(table.rows.slice(200).map((r) => [r.x1, r]));
    expect(added.size).toBe(15);
    good.forEach((r, i) => expect(added.get(10 + i)).toEqual({ x1: 10 + i, x2: i / 10, color: COLORS[i % 3], label: TRUTH[i % 6] }));
    [0, 1, 2].forEach((i) => expect(added.get(30 + i)).toEqual({ x1: 30 + i, x2: 1, color: null, label: true }));
    // The original rows are untouched, in order.
    expect(table.rows.slice(0, 200)).toEqual((await readDatasetTable(ctx, store, v1.id)).rows);
    // Org B's data is as it was.
    expect(await versionsOf(ctxB)).toBe(1);
    await finish(started?.id ?? "");
  });

  it("with nothing new labelled: no new version, the timeline says so and training runs on the latest; later labels make the next version, without repeating rows", async () => {
    const { started } = await startRetrainRun(ctx, policyId, { kind: "manual" }, { store });
    expect(started?.timeline[1]).toMatchObject({
      step: "data",
      message:
        "no labelled production rows from the last 7 days (new since the last run's rows): no new dataset version, training on churn v2",
      links: { dataset: "churn/2" },
    });
    expect(await jobDataset(started?.jobId ?? null)).toBe(2);
    expect(await versionsOf(ctx)).toBe(2);
    await finish(started?.id ?? "");

    // A new labelled prediction, and a label arriving late for one logged before the last run.
    await log([{ id: "later-0", features: { x1: 120, x2: 0.5, color: "blue" }, at: new Date(Date.now() - 60_000) }]);
    await label(ctx, [
      { request_id: "later-0", label: "no" },
      { request_id: "unlabelled-0", label: "yes" },
    ]);
    // Through the router, which hands the service its artifact store.
    const caller = callerFor(tdb.db, { userId: a.users.member.id, orgSlug: a.slug, artifactStore: store });
    const third = (await caller.retrain.run({ id: policyId })).started;
    expect(third?.timeline[1]).toMatchObject({ message: "2 labelled production rows from the last 7 days (new since the last run's rows) added to churn v2: new version 3", links: { dataset: "churn/3" } });
    const v3 = await resolveDatasetVersion(ctx, { name: "churn" });
    expect(v3).toMatchObject({ version: 3, rowCount: 217 });
    const rows = (await readDatasetTable(ctx, store, v3.id)).rows.slice(215);
    expect(rows.map((r) => [r.x1, r.label]).sort()).toEqual([
      [120, false],
      [50, true],
    ]);
    await finish(third?.id ?? "");
  });

  it("a policy without production rows keeps training on the latest version, with no data step", async () => {
    const plain = await createRetrainPolicy(ctx, { name: "no-rows", model: "scorer", endpoint: "scorer-api", triggers: ["manual"], spec, gate: { metric: "test_accuracy" }, rollout, cooldownMinutes: 0 });
    // No store needed either (the alert path and the portal may have none).
    const { started } = await startRetrainRun(ctx, plain.id, { kind: "manual" });
    expect(started?.timeline.map((e) => e.message)).toEqual(["started: manual", "training job submitted on churn (latest version)"]);
    expect(await versionsOf(ctx)).toBe(3);
  });

  it("needs the artifact store, and a run that fails after the version was made leaves no version, job, run or bytes", async () => {
    const fragile = await createRetrainPolicy(ctx, { name: "fragile", model: "scorer", endpoint: "scorer-api", triggers: ["manual"], spec, gate: { metric: "test_accuracy" }, rollout, cooldownMinutes: 0, productionRows: { days: 1, maxRows: 10 } });
    await expect(callerFor(tdb.db, { userId: a.users.member.id, orgSlug: a.slug }).retrain.run({ id: fragile.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });

    await log([{ id: "fresh-0", features: { x1: 130, x2: 0, color: "red" }, at: new Date(Date.now() - 60_000) }]);
    await label(ctx, [{ request_id: "fresh-0", label: "yes" }]);
    // PostgreSQL itself refuses this policy's run row: the last write of the start.
    await tdb.db.execute(sql.raw(`
      create function refuse_run() returns trigger language plpgsql as $$ begin raise exception 'no runs today'; end $$;
      create trigger refuse_fragile before insert on retrain_runs for each row when (new.policy_id = '${fragile.id}') execute function refuse_run();`));
    const [files, jobCount] = [await storedFiles(), (await tdb.db.select().from(jobs)).length];
    await expect(startRetrainRun(ctx, fragile.id, { kind: "manual" }, { store })).rejects.toMatchObject({ cause: { message: "no runs today" } });
    expect(await versionsOf(ctx)).toBe(3);
    expect((await tdb.db.select().from(jobs)).length).toBe(jobCount);
    expect((await tdb.db.select().from(retrainRuns).where(eq(retrainRuns.policyId, fragile.id))).length).toBe(0);
    expect(await storedFiles()).toBe(files);
    await tdb.db.execute(sql`drop trigger refuse_fragile on retrain_runs`);
    // The same start, unobstructed, makes it.
    const { started } = await startRetrainRun(ctx, fragile.id, { kind: "manual" }, { store });
    expect(started?.timeline[1]).toMatchObject({ message: "1 labelled production row from the last day (new since the last run's rows) added to churn v3: new version 4", links: { dataset: "churn/4" } });
  });

  it("keeps the file's line endings (CRLF, no final newline), fills a time split's column with the log time, writes 0/1 labels as the target has them, and takes the newest maxRows", async () => {
    // `at` is a time split's column, `y` a 0/1 integer target; CRLF and no line break at the end.
    const lines = ["at,x1,y"];
    for (let i = 0; i < 40; i++) lines.push(`2026-01-${String((i % 28) + 1).padStart(2, "0")}T00:00:00Z,${i},${i % 2}`);
    await uploadCsvDataset(ctx, store, "events", lines.join("\r\n"));
    const endpoint = (await createEndpoint(ctx, { name: "events-api" })).id;
    const times = [3, 2, 1].map((m) => new Date(Date.now() - m * 60_000));
    await log(times.map((at, i) => ({ id: `ev-${i}`, features: { x1: 100 + i }, at, endpointId: endpoint })));
    await recordFeedback(ctx, "events-api", { feedback: ["yes", "0", "true"].map((l, i) => ({ request_id: `ev-${i}`, label: l })) });
    const policy = await createRetrainPolicy(ctx, {
      name: "events",
      model: "scorer",
      endpoint: "events-api",
      triggers: ["manual"],
      spec: { dataset: { name: "events" }, target: "y", split: { kind: "time", column: "at" } },
      gate: { metric: "test_accuracy" },
      rollout,
      productionRows: { days: 2, maxRows: 2 },
    });
    const { started } = await startRetrainRun(ctx, policy.id, { kind: "manual" }, { store });
    expect(started?.timeline[1]).toMatchObject({ message: "2 labelled production rows from the last 2 days added to events v1: new version 2", links: { dataset: "events/2" } });
    const v2 = await resolveDatasetVersion(ctx, { name: "events" });
    expect(v2.columns.map((c) => c.type)).toEqual(["datetime", "integer", "integer"]);
    const { rows } = await readDatasetTable(ctx, store, v2.id);
    expect(rows).toHaveLength(42);
    expect(rows[39]).toEqual({ at: Date.parse("2026-01-12T00:00:00Z"), x1: 39, y: 1 });
    expect(rows.slice(40).sort((p, q) => Number(p.x1) - Number(q.x1))).toEqual([
      { at: times[1]?.getTime(), x1: 101, y: 0 },
      { at: times[2]?.getTime(), x1: 102, y: 1 },
    ]);
  });

  it("an alert that starts the run hands it the worker's store: the version is made on the alert path too", async () => {
    await tdb.db.update(retrainRuns).set({ status: "failed" }).where(eq(retrainRuns.status, "training"));
    const policy = await createRetrainPolicy(ctx, { name: "on-alert", model: "scorer", endpoint: "events-api", triggers: ["service"], spec: { dataset: { name: "events" }, target: "y" }, gate: { metric: "test_accuracy" }, rollout, productionRows: { days: 2 } });
    await log([{ id: "ev-alert", features: { x1: 200 }, at: new Date(Date.now() - 30_000), endpointId: (await resolveEndpointId("events-api")) }]);
    await recordFeedback(ctx, "events-api", { feedback: [{ request_id: "ev-alert", label: 1 }] });
    // No traffic counted on the endpoint: the traffic floor breaks and the alert fires.
    const monitor = await createMonitor(ctx, { endpoint: "events-api", name: "floor", kind: "service", config: { windowMinutes: 60, everyMinutes: 5, minRows: 1, driftShare: 0.5, distanceThreshold: 0.1, maxMetricDrop: 0.05, minLabels: 1, minRequests: 10 } });
    const [row] = await tdb.db.select().from(monitors).where(eq(monitors.id, monitor.id));
    if (!row) throw new Error("monitor");
    expect((await evaluateMonitor(tdb.db, store, row)).status).toBe("breach");
    const [run] = await tdb.db.select().from(retrainRuns).where(eq(retrainRuns.policyId, policy.id));
    expect(run?.trigger).toBe("service");
    expect(run?.timeline[1]).toMatchObject({ step: "data", message: "1 labelled production row from the last 2 days (new since the last run's rows) added to events v2: new version 3", links: { dataset: "events/3" } });
  });
});
