import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { ZCreateMonitorInput, ZListMonitorsInput, ZMonitor, ZMonitorIdInput, ZUpdateMonitorInput } from "@gantry/schema";

import { createMonitor, deleteMonitor, getMonitor, listMonitors, runMonitor, updateMonitor } from "../monitoring";
import { ok, orgProcedure, orgWriteProcedure } from "../trpc";

/** Monitors of endpoints: data and prediction drift against the training reference, service health. */
export const monitorRouter = {
  list: orgProcedure
    .input(ZListMonitorsInput)
    .output(z.array(ZMonitor))
    .query(({ ctx, input }) => listMonitors(ctx.svc, input)),
  get: orgProcedure
    .input(ZMonitorIdInput)
    .output(ZMonitor)
    .query(({ ctx, input }) => getMonitor(ctx.svc, input.id)),
  create: orgWriteProcedure
    .input(ZCreateMonitorInput)
    .output(ZMonitor)
    .mutation(({ ctx, input }) => createMonitor(ctx.svc, input)),
  update: orgWriteProcedure
    .input(ZUpdateMonitorInput)
    .output(ZMonitor)
    .mutation(({ ctx, input }) => updateMonitor(ctx.svc, input)),
  delete: orgWriteProcedure.input(ZMonitorIdInput).mutation(({ ctx, input }) => ok(deleteMonitor(ctx.svc, input.id))),
  /** Evaluate now, as the schedule would. */
  run: orgWriteProcedure
    .input(ZMonitorIdInput)
    .output(ZMonitor)
    .mutation(({ ctx, input }) => runMonitor(ctx.svc, ctx.artifactStore, input.id)),
} satisfies TRPCRouterRecord;
