import type { TRPCClient } from "@trpc/client";

import type { AppRouter } from "@gantry/api";
import type { Job } from "@gantry/schema/job-contracts";
import type { CreateScheduleInput, Schedule, ScheduleDetail, UpdateScheduleInput } from "@gantry/schema/schedule-contracts";

import { wrap } from "./jobs";

export type SchedulesClient = {
  /** The cron (five fields, read in `timezone`, default UTC) and the spec are checked by the server; errors name `cron`, `timezone` or `spec.…`. */
  create: (input: CreateScheduleInput) => Promise<Schedule>;
  list: () => Promise<Schedule[]>;
  /** With its newest jobs. */
  get: (scheduleId: string) => Promise<ScheduleDetail>;
  update: (input: UpdateScheduleInput) => Promise<Schedule>;
  pause: (scheduleId: string) => Promise<Schedule>;
  resume: (scheduleId: string) => Promise<Schedule>;
  delete: (scheduleId: string) => Promise<{ deleted: true }>;
  /** Submits the schedule's training job now. */
  runNow: (scheduleId: string) => Promise<Job>;
};

export function createSchedulesClient(api: TRPCClient<AppRouter>): SchedulesClient {
  return {
    create: wrap((input: CreateScheduleInput) => api.schedule.create.mutate(input)),
    list: wrap(() => api.schedule.list.query()),
    get: wrap((scheduleId: string) => api.schedule.get.query({ scheduleId })),
    update: wrap((input: UpdateScheduleInput) => api.schedule.update.mutate(input)),
    pause: wrap((scheduleId: string) => api.schedule.pause.mutate({ scheduleId })),
    resume: wrap((scheduleId: string) => api.schedule.resume.mutate({ scheduleId })),
    delete: wrap((scheduleId: string) => api.schedule.delete.mutate({ scheduleId })),
    runNow: wrap((scheduleId: string) => api.schedule.runNow.mutate({ scheduleId })),
  };
}
