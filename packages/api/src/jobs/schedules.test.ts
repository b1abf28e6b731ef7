import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { and, eq, sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { auditEvents, GantryError, jobs, schedules } from "@gantry/schema";
import type { CreateScheduleInput } from "@gantry/schema";

import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { deleteDataset } from "../datasets";
import type { OrgFixture } from "../testing";
import { binaryCsv, createOrgFixture, expectDenied, fixtureContext, uploadCsvDataset } from "../testing";
import { getJob, listJobLogs } from "./read";
import { createSchedule, deleteSchedule, fireDueSchedules, getSchedule, listSchedules, nextFireTime, pauseSchedule, resumeSchedule, updateSchedule } from "./schedules";
import type { StoredTrainingSpec } from "./submit";

const tdb = await createTestDatabase();
const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-schedules-")));
let org: OrgFixture;
let ctx: OrgContext;

beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "schedules");
  ctx = fixtureContext(tdb.db, org);
  await uploadCsvDataset(ctx, store, "toy", binaryCsv({ rows: 30, seed: 1 }));
});
afterAll(() => tdb.drop());

const input = (over: Partial<CreateScheduleInput> = {}): CreateScheduleInput => ({
  name: "weekly",
  cron: "0 3 * * 1",
  spec: { dataset: { name: "toy" }, target: "label", epochs: 1, model: { hiddenLayers: [4] } },
  ...over,
});
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error as GantryError,
  );
const scheduleCount = async () => (await tdb.db.select({ n: sql<number>`count(*)::int` }).from(schedules))[0]?.n ?? 0;
const jobsOf = (scheduleId: string) => tdb.db.select().from(jobs).where(eq(jobs.scheduleId, scheduleId));
/** Makes a schedule due: its next firing `ago` ms before now. */
const makeDue = (id: string, ago = 1000) => tdb.db.update(schedules).set({ nextFireAt: new Date(Date.now() - ago) }).where(eq(schedules.id, id));

describe("nextFireTime", () => {
  it("reads the cron in the time zone and answers the first time strictly after", () => {
    const after = new Date("2025-03-01T12:00:30Z"); // a Saturday
    expect(nextFireTime("0 3 * * 1", "UTC", after).toISOString()).toBe("2025-03-03T03:00:00.000Z");
    expect(nextFireTime("0 3 * * 1", "Europe/Paris", after).toISOString()).toBe("2025-03-03T02:00:00.000Z");
    expect(nextFireTime("@daily", "UTC", after).toISOString()).toBe("2025-03-02T00:00:00.000Z");
    expect(nextFireTime("0 12 * * *", "UTC", new Date("2025-03-01T12:00:00Z")).toISOString()).toBe("2025-03-02T12:00:00.000Z");
  });
});

describe("create and validate", () => {
  it("stores the schedule with its next firing, the spec unpinned (latest stays latest), and an audit event", async () => {
    const s = await createSchedule(ctx, input({ timezone: "Europe/Paris" }));
    expect(s).toMatchObject({ name: "weekly", cron: "0 3 * * 1", timezone: "Europe/Paris", paused: false, lastFiredAt: null, lastJobId: null, createdBy: org.users.owner.id });
    expect(s.spec).toMatchObject({ dataset: { name: "toy", version: "latest" }, target: "label", epochs: 1, optimizer: "adam" });
    expect(s.nextFireAt?.getTime()).toBe(nextFireTime("0 3 * * 1", "Europe/Paris", new Date(s.createdAt.getTime() - 1000)).getTime());
    const [audit] = await tdb.db.select().from(auditEvents).where(and(eq(auditEvents.action, "schedule.create"), eq(auditEvents.targetId, s.id)));
    expect(audit?.data).toMatchObject({ name: "weekly", cron: "0 3 * * 1", timezone: "Europe/Paris" });
  });

  it.each([
    ["an out-of-range field", { cron: "61 * * * *" }, "cron", /^cron: '61 \* \* \* \*' is not a valid cron expression: Constraint error, got value 61 expected range 0-59$/],
    ["four fields", { cron: "0 3 * *" }, "cron", /^cron: expected five fields .* got 4 fields$/],
    ["seconds", { cron: "* * * * * *" }, "cron", /got 6 fields/],
    ["words", { cron: "nonsense here and there too" }, "cron", /^cron: .* is not a valid cron expression: /],
    ["a date that never comes", { cron: "0 3 31 2 *" }, "cron", /Invalid explicit day of month definition/],
    ["a time zone", { timezone: "Mars/Olympus" }, "timezone", /^timezone: 'Mars\/Olympus' is not a known IANA time zone \(.*Mars\/Olympus.*\)$/],
    ["an empty name", { name: " " }, "name", /name is required/],
  ] as const)("refuses %s, naming the field, storing nothing", async (_what, over, field, message) => {
    const before = await scheduleCount();
    const error = await failure(createSchedule(ctx, input(over)));
    expect(error).toBeInstanceOf(GantryError);
    expect(error).toMatchObject({ code: "INVALID_INPUT", field });
    expect(error.message).toMatch(message);
    expect(await scheduleCount()).toBe(before);
  });

  it("refuses a spec its dataset cannot satisfy, naming the spec field", async () => {
    const before = await scheduleCount();
    expect(await failure(createSchedule(ctx, input({ spec: { dataset: { name: "toy" }, target: "lable" } })))).toMatchObject({ code: "INVALID_INPUT", field: "spec.target" });
    expect(await failure(createSchedule(ctx, input({ spec: { dataset: { name: "toy" }, target: "label", epochs: 0 } })))).toMatchObject({ field: "spec.epochs" });
    expect(await failure(createSchedule(ctx, input({ spec: { dataset: { name: "nope" }, target: "label" } })))).toMatchObject({ code: "NOT_FOUND" });
    expect(await scheduleCount()).toBe(before);
  });

  it("through tRPC: a viewer may read but not create; a bad cron is BAD_REQUEST with the field", async () => {
    await expectDenied(org.as("viewer").schedule.create(input()), ["FORBIDDEN"]);
    const error = await expectDenied(org.as("member").schedule.create(input({ cron: "0 25 * * *" })), ["BAD_REQUEST"]);
    expect(error.message).toMatch(/^cron: .*expected range 0-23/);
    expect((await org.as("viewer").schedule.list()).length).toBeGreaterThan(0);
  });
});

describe("firing", () => {
  it("a due schedule fires exactly once, even with two ticks at once; its next firing moves after now", async () => {
    const s = await createSchedule(ctx, input({ name: "concurrent", cron: "*/5 * * * *" }));
    await makeDue(s.id);
    const now = new Date();
    const [first, second] = await Promise.all([fireDueSchedules(tdb.db, now), fireDueSchedules(tdb.db, now)]);
    const mine = [...(first ?? []), ...(second ?? [])].filter((f) => f.scheduleId === s.id);
    expect(mine).toHaveLength(1);
    const made = await jobsOf(s.id);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ kind: "train", status: "queued", createdBy: org.users.owner.id, parentJobId: null });
    expect((made[0]?.spec as StoredTrainingSpec).dataset).toMatchObject({ name: "toy", version: 1 });
    const after = await getSchedule(ctx, s.id);
    expect(after).toMatchObject({ lastJobId: made[0]?.id, lastFiredAt: now });
    expect(after.nextFireAt?.getTime()).toBe(nextFireTime("*/5 * * * *", "UTC", now).getTime());
    expect(after.recentJobs.map((j) => j.id)).toEqual([made[0]?.id]);
    expect((await fireDueSchedules(tdb.db, now)).filter((f) => f.scheduleId === s.id)).toEqual([]);
    // The job is the schedule's creator's; the audit log says the schedule submitted it.
    const [submit] = await tdb.db.select().from(auditEvents).where(and(eq(auditEvents.action, "job.submit"), eq(auditEvents.targetId, made[0]?.id ?? "")));
    expect(submit).toMatchObject({ actorType: "system", actorLabel: `schedule 'concurrent' for ${org.users.owner.email}` });
    const [fire] = await tdb.db.select().from(auditEvents).where(and(eq(auditEvents.action, "schedule.fire"), eq(auditEvents.targetId, s.id)));
    expect(fire?.data).toMatchObject({ jobId: made[0]?.id, failed: false });
    await pauseSchedule(ctx, s.id);
  });

  it("a paused schedule does not fire; resumed, it fires from the next time after now (nothing replayed)", async () => {
    const s = await createSchedule(ctx, input({ name: "paused", cron: "* * * * *" }));
    const paused = await pauseSchedule(ctx, s.id);
    expect(paused).toMatchObject({ paused: true, nextFireAt: null });
    await tdb.db.update(schedules).set({ nextFireAt: new Date(Date.now() - 3_600_000) }).where(eq(schedules.id, s.id));
    expect((await fireDueSchedules(tdb.db, new Date())).filter((f) => f.scheduleId === s.id)).toEqual([]);
    expect(await jobsOf(s.id)).toEqual([]);
    const resumed = await resumeSchedule(ctx, s.id);
    expect(resumed.paused).toBe(false);
    expect(resumed.nextFireAt?.getTime()).toBeGreaterThan(Date.now());
    expect((await fireDueSchedules(tdb.db, new Date())).filter((f) => f.scheduleId === s.id)).toEqual([]);
    await pauseSchedule(ctx, s.id);
  });

  it("firings missed while down are not replayed: one catch-up firing, then the next future time", async () => {
    const s = await createSchedule(ctx, input({ name: "hourly", cron: "0 * * * *" }));
    await makeDue(s.id, 3 * 86_400_000);
    const now = new Date();
    const fired = (await fireDueSchedules(tdb.db, now)).filter((f) => f.scheduleId === s.id);
    expect(fired).toHaveLength(1);
    const next = (await getSchedule(ctx, s.id)).nextFireAt;
    expect(next?.getTime()).toBe(nextFireTime("0 * * * *", "UTC", now).getTime());
    expect((next?.getTime() ?? Infinity) - now.getTime()).toBeLessThanOrEqual(3_600_000);
    expect((await fireDueSchedules(tdb.db, now)).filter((f) => f.scheduleId === s.id)).toEqual([]);
    expect(await jobsOf(s.id)).toHaveLength(1);
    await pauseSchedule(ctx, s.id);
  });

  it("`latest` is resolved at each firing", async () => {
    await uploadCsvDataset(ctx, store, "growing", binaryCsv({ rows: 30, seed: 4 }));
    const s = await createSchedule(ctx, input({ name: "growing", cron: "* * * * *", spec: { dataset: { name: "growing" }, target: "label", epochs: 1 } }));
    await makeDue(s.id);
    await fireDueSchedules(tdb.db, new Date());
    await uploadCsvDataset(ctx, store, "growing", binaryCsv({ rows: 30, seed: 5 }));
    await makeDue(s.id);
    await fireDueSchedules(tdb.db, new Date());
    const versions = (await jobsOf(s.id)).map((j) => (j.spec as StoredTrainingSpec).dataset.version).sort();
    expect(versions).toEqual([1, 2]);
    await pauseSchedule(ctx, s.id);
  });

  it("a firing whose dataset is gone records a failed job with the reason, and still moves on", async () => {
    await uploadCsvDataset(ctx, store, "doomed", binaryCsv({ rows: 30, seed: 6 }));
    const s = await createSchedule(ctx, input({ name: "doomed", cron: "0 4 * * *", spec: { dataset: { name: "doomed" }, target: "label" } }));
    await deleteDataset(ctx, "doomed");
    await makeDue(s.id);
    const now = new Date();
    const [fired] = (await fireDueSchedules(tdb.db, now)).filter((f) => f.scheduleId === s.id);
    expect(fired).toMatchObject({ failed: true });
    const job = await getJob(ctx, fired?.jobId ?? "");
    expect(job).toMatchObject({ kind: "train", status: "failed", error: "No dataset named 'doomed'", scheduleId: s.id, createdBy: org.users.owner.id });
    expect(job.finishedAt).toBeInstanceOf(Date);
    expect((await listJobLogs(ctx, { jobId: job.id })).items.map((l) => [l.level, l.message])).toEqual([["error", "Schedule 'doomed' could not submit its job: No dataset named 'doomed'"]]);
    const after = await getSchedule(ctx, s.id);
    expect(after).toMatchObject({ lastJobId: job.id, paused: false });
    expect(after.nextFireAt?.getTime()).toBe(nextFireTime("0 4 * * *", "UTC", now).getTime());
    await pauseSchedule(ctx, s.id);
  });

  it("runNow submits the job at once as the caller (even paused), leaving the next firing alone", async () => {
    const s = await createSchedule(ctx, input({ name: "manual" }));
    await pauseSchedule(ctx, s.id);
    const job = await org.as("member").schedule.runNow({ scheduleId: s.id });
    expect(job).toMatchObject({ kind: "train", status: "queued", scheduleId: s.id, createdBy: org.users.member.id });
    expect(await getSchedule(ctx, s.id)).toMatchObject({ lastJobId: job.id, paused: true, nextFireAt: null });
  });
});

describe("update, list, delete", () => {
  it("update recomputes the next firing and re-validates; pause/resume; delete keeps the jobs", async () => {
    const s = await createSchedule(ctx, input({ name: "editable" }));
    const updated = await updateSchedule(ctx, { scheduleId: s.id, cron: "30 6 * * *", timezone: "America/New_York", name: "daily" });
    expect(updated).toMatchObject({ name: "daily", cron: "30 6 * * *", timezone: "America/New_York" });
    expect(updated.nextFireAt?.getTime()).toBe(nextFireTime("30 6 * * *", "America/New_York", new Date(updated.updatedAt.getTime() - 1000)).getTime());
    expect(await failure(updateSchedule(ctx, { scheduleId: s.id, cron: "bad" }))).toMatchObject({ field: "cron" });
    expect(await failure(updateSchedule(ctx, { scheduleId: s.id, spec: { dataset: { name: "toy" }, target: "nope" } }))).toMatchObject({ field: "spec.target" });
    expect((await getSchedule(ctx, s.id)).cron).toBe("30 6 * * *");
    const withSpec = await updateSchedule(ctx, { scheduleId: s.id, spec: { dataset: { name: "toy", version: 1 }, target: "label", epochs: 3 } });
    expect(withSpec.spec).toMatchObject({ epochs: 3, dataset: { version: 1 } });
    expect((await listSchedules(ctx)).map((x) => x.name)).toContain("daily");
    await makeDue(s.id);
    const [fired] = (await fireDueSchedules(tdb.db, new Date())).filter((f) => f.scheduleId === s.id);
    expect(await deleteSchedule(ctx, s.id)).toEqual({ deleted: true });
    expect(await failure(getSchedule(ctx, s.id))).toMatchObject({ code: "NOT_FOUND" });
    expect(await getJob(ctx, fired?.jobId ?? "")).toMatchObject({ scheduleId: s.id });
    expect(await failure(pauseSchedule(ctx, "nope"))).toMatchObject({ code: "NOT_FOUND", field: "scheduleId" });
  });
});
