import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { ZCreateScheduleInput, ZJob, ZSchedule, ZScheduleDetail, ZScheduleIdInput, ZUpdateScheduleInput } from "@gantry/schema";

import { createSchedule, deleteSchedule, getSchedule, listSchedules, pauseSchedule, resumeSchedule, runScheduleNow, updateSchedule } from "../jobs/schedules";
import { orgProcedure, orgWriteProcedure } from "../trpc";

/** Training on a cron; a worker's minute tick fires the due schedules. */
export const scheduleRouter = {
  list: orgProcedure.output(z.array(ZSchedule)).query(({ ctx }) => listSchedules(ctx.svc)),
  /** With its newest jobs. */
  get: orgProcedure.input(ZScheduleIdInput).output(ZScheduleDetail).query(({ ctx, input }) => getSchedule(ctx.svc, input.scheduleId)),
  create: orgWriteProcedure.input(ZCreateScheduleInput).output(ZSchedule).mutation(({ ctx, input }) => createSchedule(ctx.svc, input)),
  update: orgWriteProcedure.input(ZUpdateScheduleInput).output(ZSchedule).mutation(({ ctx, input }) => updateSchedule(ctx.svc, input)),
  pause: orgWriteProcedure.input(ZScheduleIdInput).output(ZSchedule).mutation(({ ctx, input }) => pauseSchedule(ctx.svc, input.scheduleId)),
  resume: orgWriteProcedure.input(ZScheduleIdInput).output(ZSchedule).mutation(({ ctx, input }) => resumeSchedule(ctx.svc, input.scheduleId)),
  delete: orgWriteProcedure
    .input(ZScheduleIdInput)
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteSchedule(ctx.svc, input.scheduleId)),
  /** Submits the schedule's job now (its next firing is unchanged). */
  runNow: orgWriteProcedure.input(ZScheduleIdInput).output(ZJob).mutation(({ ctx, input }) => runScheduleNow(ctx.svc, input.scheduleId)),
} satisfies TRPCRouterRecord;
