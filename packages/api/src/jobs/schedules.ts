import { CronExpressionParser } from "cron-parser";

import type { Executor } from "@gantry/db";
import { and, asc, desc, eq, lte } from "@gantry/db";
import { GantryError, jobs, schedules, users, ZCreateScheduleInput, ZSubmitTrainingJobInput, ZUpdateScheduleInput } from "@gantry/schema";
import type { CreateScheduleInput, Job, Schedule, ScheduleDetail, TrainingSpecInput, UpdateScheduleInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { mutate } from "../services/audit";
import { isUuid } from "../tracking/ids";
import { recordFailedSubmission, submissionFailure } from "./failed-job";
import { toJob } from "./read";
import { creatorOf, pinTrainingSpec, submitTrainingJob } from "./submit";

/*
 * Schedules: a training spec submitted on a cron. The spec is stored unpinned (a dataset version
 * `latest` is resolved at each firing). A worker's minute tick fires the due ones; firings missed
 * while no worker ran are not replayed one by one: one catch-up firing, then the next future time.
 */

type ScheduleRow = typeof schedules.$inferSelect;

const toSchedule = ({ orgId: _orgId, ...rest }: ScheduleRow): Schedule => rest;

const ALIASES = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@hourly"]);

/** The zone exists (Intl knows it): cron-parser alone reports a bad zone only as an unhandled date. */
function checkTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GantryError("INVALID_INPUT", `timezone: '${timezone}' is not a known IANA time zone (${reason})`, { field: "timezone" });
  }
}

/** The first firing strictly after `after`, or INVALID_INPUT naming `cron` with the parser's reason. */
export function nextFireTime(cron: string, timezone: string, after: Date): Date {
  checkTimezone(timezone);
  const expression = cron.trim();
  const fields = expression.split(/\s+/).length;
  if (!ALIASES.has(expression.toLowerCase()) && fields !== 5) {
    throw new GantryError("INVALID_INPUT", `cron: expected five fields (minute hour day-of-month month day-of-week) or @hourly/@daily/@weekly/@monthly/@yearly, got ${fields} field${fields === 1 ? "" : "s"}`, {
      field: "cron",
    });
  }
  try {
    return CronExpressionParser.parse(expression, { currentDate: after, tz: timezone }).next().toDate();
  } catch (error) {
    throw new GantryError("INVALID_INPUT", `cron: '${expression}' is not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`, { field: "cron" });
  }
}

/** Validates a spec against its dataset now (pinned), and answers the spec to store (unpinned, defaults filled). */
async function checkedSpec(ctx: OrgContext, raw: TrainingSpecInput) {
  await pinTrainingSpec(ctx, raw);
  return parseInput(ZSubmitTrainingJobInput, { spec: raw }).spec;
}

const notFound = (id: string) => new GantryError("NOT_FOUND", `Schedule '${id}' not found`, { field: "scheduleId" });

async function scheduleRow(ctx: OrgContext, id: string, options: { forUpdate?: boolean } = {}): Promise<ScheduleRow> {
  if (!isUuid(id)) throw notFound(id);
  const query = ctx.db.select().from(schedules).where(and(eq(schedules.id, id), eq(schedules.orgId, ctx.orgId)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound(id);
  return row;
}

export async function createSchedule(ctx: OrgContext, raw: CreateScheduleInput): Promise<Schedule> {
  const input = parseInput(ZCreateScheduleInput, raw);
  const nextFireAt = nextFireTime(input.cron, input.timezone, new Date());
  const spec = await checkedSpec(ctx, input.spec);
  const row = await mutate(
    ctx,
    (s: ScheduleRow) => ({ action: "schedule.create", targetType: "schedule", targetId: s.id, data: { name: s.name, cron: s.cron, timezone: s.timezone } }),
    async (tx) => {
      const [s] = await tx.insert(schedules).values({ orgId: ctx.orgId, name: input.name, cron: input.cron, timezone: input.timezone, spec, nextFireAt, createdBy: creatorOf(ctx) }).returning();
      if (!s) throw new GantryError("INTERNAL", "Schedule not created");
      return s;
    },
  );
  return toSchedule(row);
}

export async function listSchedules(ctx: OrgContext): Promise<Schedule[]> {
  const rows = await ctx.db.select().from(schedules).where(eq(schedules.orgId, ctx.orgId)).orderBy(asc(schedules.name), asc(schedules.id));
  return rows.map(toSchedule);
}

/** A schedule with its 20 newest jobs. */
export async function getSchedule(ctx: OrgContext, id: string): Promise<ScheduleDetail> {
  const row = await scheduleRow(ctx, id);
  const recent = await ctx.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.orgId, ctx.orgId), eq(jobs.scheduleId, row.id)))
    .orderBy(desc(jobs.id))
    .limit(20);
  return { ...toSchedule(row), recentJobs: recent.map(toJob) };
}

export async function updateSchedule(ctx: OrgContext, raw: UpdateScheduleInput): Promise<Schedule> {
  const input = parseInput(ZUpdateScheduleInput, raw);
  const spec = input.spec ? await checkedSpec(ctx, input.spec) : undefined;
  const row = await mutate(
    ctx,
    { action: "schedule.update", targetType: "schedule", targetId: input.scheduleId, data: { name: input.name, cron: input.cron, timezone: input.timezone, spec: spec !== undefined } },
    async (tx) => {
      const current = await scheduleRow({ ...ctx, db: tx }, input.scheduleId, { forUpdate: true });
      const cron = input.cron ?? current.cron;
      const timezone = input.timezone ?? current.timezone;
      const timing = input.cron !== undefined || input.timezone !== undefined;
      // Checked even while paused: a schedule never holds a cron it could not resume with.
      const nextFireAt = timing ? nextFireTime(cron, timezone, new Date()) : current.nextFireAt;
      const [updated] = await tx
        .update(schedules)
        .set({ name: input.name ?? current.name, cron, timezone, ...(spec ? { spec } : {}), nextFireAt: current.paused ? null : nextFireAt })
        .where(eq(schedules.id, current.id))
        .returning();
      return updated ?? current;
    },
  );
  return toSchedule(row);
}

/** Paused: no firing (and none replayed on resume). Pausing a paused schedule is a no-op. */
export async function pauseSchedule(ctx: OrgContext, id: string): Promise<Schedule> {
  const row = await mutate(ctx, { action: "schedule.pause", targetType: "schedule", targetId: id }, async (tx) => {
    const current = await scheduleRow({ ...ctx, db: tx }, id, { forUpdate: true });
    const [updated] = await tx.update(schedules).set({ paused: true, nextFireAt: null }).where(eq(schedules.id, current.id)).returning();
    return updated ?? current;
  });
  return toSchedule(row);
}

/** Resumed from now: the next firing is the cron's next time after now. */
export async function resumeSchedule(ctx: OrgContext, id: string): Promise<Schedule> {
  const row = await mutate(ctx, { action: "schedule.resume", targetType: "schedule", targetId: id }, async (tx) => {
    const current = await scheduleRow({ ...ctx, db: tx }, id, { forUpdate: true });
    const nextFireAt = current.paused ? nextFireTime(current.cron, current.timezone, new Date()) : current.nextFireAt;
    const [updated] = await tx.update(schedules).set({ paused: false, nextFireAt }).where(eq(schedules.id, current.id)).returning();
    return updated ?? current;
  });
  return toSchedule(row);
}

/** Deletes the schedule; the jobs it made stay (with their `scheduleId`). */
export async function deleteSchedule(ctx: OrgContext, id: string): Promise<{ deleted: true }> {
  await mutate(ctx, { action: "schedule.delete", targetType: "schedule", targetId: id }, async (tx) => {
    const current = await scheduleRow({ ...ctx, db: tx }, id, { forUpdate: true });
    await tx.delete(schedules).where(eq(schedules.id, current.id));
  });
  return { deleted: true };
}

/** Submits the schedule's job now, as the caller (paused or not; the next firing stays as it was). Errors go to the caller. */
export async function runScheduleNow(ctx: OrgContext, id: string): Promise<Job> {
  return mutate(ctx, { action: "schedule.run", targetType: "schedule", targetId: id }, async (tx) => {
    const c = { ...ctx, db: tx };
    const current = await scheduleRow(c, id, { forUpdate: true });
    const job = await submitTrainingJob(c, current.spec as TrainingSpecInput, { scheduleId: current.id });
    await tx.update(schedules).set({ lastFiredAt: new Date(), lastJobId: job.id }).where(eq(schedules.id, current.id));
    return job;
  });
}

export type ScheduleFiring = { scheduleId: string; jobId: string; failed: boolean; nextFireAt: Date | null };

/** The platform acting for the schedule's creator (jobs and runs are theirs; the audit log says which schedule). */
async function scheduleContext(db: Executor, s: ScheduleRow): Promise<OrgContext> {
  const [creator] = s.createdBy ? await db.select({ email: users.email }).from(users).where(eq(users.id, s.createdBy)) : [];
  const label = `schedule '${s.name}'${creator ? ` for ${creator.email}` : ""}`;
  return { db, orgId: s.orgId, role: "member", actor: { type: "system", label, ...(s.createdBy ? { onBehalfOf: s.createdBy } : {}) } };
}

/** One firing, in the tick's transaction: the job (or a failed job saying why), the schedule moved on, the audit event. */
async function fireSchedule(tx: Executor, s: ScheduleRow, now: Date): Promise<ScheduleFiring> {
  const ctx = await scheduleContext(tx, s);
  let nextFireAt: Date | null;
  try {
    nextFireAt = nextFireTime(s.cron, s.timezone, now);
  } catch {
    nextFireAt = null; // a zone or cron that no longer parses: fire this once, then stop
  }
  return mutate(
    ctx,
    (f: ScheduleFiring) => ({ action: "schedule.fire", targetType: "schedule", targetId: s.id, data: { jobId: f.jobId, failed: f.failed, nextFireAt: f.nextFireAt?.toISOString() ?? null } }),
    async (fx) => {
      const c = { ...ctx, db: fx };
      let jobId: string;
      let failed = false;
      try {
        // A savepoint: a spec that can no longer be submitted must not abort the tick.
        jobId = (await fx.transaction((sp) => submitTrainingJob({ ...c, db: sp }, s.spec as TrainingSpecInput, { scheduleId: s.id }))).id;
      } catch (error) {
        const message = submissionFailure(error);
        jobId = (await recordFailedSubmission(c, { spec: s.spec, scheduleId: s.id, message, note: `Schedule '${s.name}' could not submit its job` })).id;
        failed = true;
      }
      await fx.update(schedules).set({ lastFiredAt: now, lastJobId: jobId, nextFireAt }).where(eq(schedules.id, s.id));
      return { scheduleId: s.id, jobId, failed, nextFireAt };
    },
  );
}

/**
 * Fires every due schedule once (not paused, next_fire_at <= now). Rows are locked with SKIP
 * LOCKED, so concurrent ticks (two workers) split the due schedules instead of firing one twice;
 * a fired schedule's next time is after `now`, so a later tick finds it not due.
 */
export async function fireDueSchedules(db: Executor, now: Date = new Date(), options: { limit?: number } = {}): Promise<ScheduleFiring[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(schedules)
      .where(and(eq(schedules.paused, false), lte(schedules.nextFireAt, now)))
      .orderBy(asc(schedules.nextFireAt))
      .limit(options.limit ?? 100)
      .for("update", { skipLocked: true });
    const fired: ScheduleFiring[] = [];
    for (const s of due) fired.push(await fireSchedule(tx, s, now));
    return fired;
  });
}
