import { z } from "zod";

import { ZJob } from "./job-contracts";
import { ZTrainingSpec } from "./training";

/* What crosses the API boundary for schedules (tRPC `schedule` router, the client, the CLI). */

export const ZScheduleIdInput = z.object({ scheduleId: z.string({ error: "scheduleId is required" }).min(1, { error: "scheduleId is required" }) });

const ZScheduleName = z.string({ error: "name is required" }).trim().min(1, { error: "name is required" }).max(200, { error: "name must be at most 200 characters" });
/** Five-field cron (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly. */
const ZCron = z.string({ error: "cron is required" }).trim().min(1, { error: "cron is required" }).max(200);
/** An IANA time zone (`Europe/Paris`); the cron is read in it. */
const ZTimezone = z.string().trim().min(1, { error: "timezone must not be empty" }).max(100);

export const ZCreateScheduleInput = z.object({
  name: ZScheduleName,
  cron: ZCron,
  timezone: ZTimezone.default("UTC"),
  /** A training spec; its dataset version may be `latest`, resolved at each firing. */
  spec: ZTrainingSpec,
});
export type CreateScheduleInput = z.input<typeof ZCreateScheduleInput>;

export const ZUpdateScheduleInput = ZScheduleIdInput.extend({
  name: ZScheduleName.optional(),
  cron: ZCron.optional(),
  timezone: ZTimezone.optional(),
  spec: ZTrainingSpec.optional(),
});
export type UpdateScheduleInput = z.input<typeof ZUpdateScheduleInput>;

export const ZSchedule = z.object({
  id: z.string(),
  name: z.string(),
  cron: z.string(),
  timezone: z.string(),
  spec: z.record(z.string(), z.unknown()),
  paused: z.boolean(),
  /** Null while paused. */
  nextFireAt: z.date().nullable(),
  lastFiredAt: z.date().nullable(),
  lastJobId: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Schedule = z.output<typeof ZSchedule>;

/** A schedule with the jobs it made, newest first. */
export const ZScheduleDetail = ZSchedule.extend({ recentJobs: z.array(ZJob) });
export type ScheduleDetail = z.output<typeof ZScheduleDetail>;
