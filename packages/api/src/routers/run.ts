import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { ZCreateRunInput, ZLogBatchInput, ZMetricChart, ZMetricChartInput, ZRun, ZRunIdInput, ZRunInfo, ZSearchRunsInput, ZTagInput, ZTrackingKey, ZUpdateRunInput } from "@gantry/schema";

import { listRunArtifacts } from "../tracking/artifacts";
import { compareRuns } from "../tracking/compare";
import { getMetricChart, getMetricHistory } from "../tracking/history";
import { logBatch, setRunTag } from "../tracking/logging";
import { createRun, deleteRunTag, getRun, setRunLifecycle, updateRun } from "../tracking/runs";
import { searchRuns } from "../tracking/search-runs";
import { ok, orgProcedure, orgWriteProcedure } from "../trpc";

export const runRouter = {
  search: orgProcedure
    .input(ZSearchRunsInput)
    .output(z.object({ runs: z.array(ZRun), nextPageToken: z.string().nullable() }))
    .query(({ ctx, input }) => searchRuns(ctx.svc, input)),
  get: orgProcedure.input(ZRunIdInput).output(ZRun).query(({ ctx, input }) => getRun(ctx.svc, input.runId)),
  compare: orgProcedure
    .input(z.object({ runIds: z.array(z.string()).min(1).max(20) }))
    .output(z.object({ runs: z.array(ZRun), differingParams: z.array(z.string()), metricKeys: z.array(z.string()) }))
    .query(({ ctx, input }) => compareRuns(ctx.svc, input.runIds)),
  /** A metric for a chart: ~`points` points, extremes kept, whatever the history's length. */
  metricChart: orgProcedure.input(ZMetricChartInput).output(ZMetricChart).query(({ ctx, input }) => getMetricChart(ctx.svc, input)),
  metricHistory: orgProcedure
    .input(ZRunIdInput.extend({ key: ZTrackingKey, maxResults: z.number().int().min(1).max(25_000).optional(), pageToken: z.string().optional() }))
    .query(({ ctx, input }) => getMetricHistory(ctx.svc, input)),
  artifacts: orgProcedure
    .input(ZRunIdInput.extend({ path: z.string().max(1000).optional() }))
    .output(z.object({ rootUri: z.string(), files: z.array(z.object({ path: z.string(), isDir: z.boolean(), fileSize: z.number().optional() })) }))
    .query(({ ctx, input }) => listRunArtifacts(ctx.svc, input)),
  create: orgWriteProcedure.input(ZCreateRunInput).output(ZRun).mutation(({ ctx, input }) => createRun(ctx.svc, { ...input, source: input.source ?? "client" })),
  update: orgWriteProcedure.input(ZRunIdInput.extend(ZUpdateRunInput.shape)).output(ZRunInfo).mutation(({ ctx, input: { runId, ...rest } }) => updateRun(ctx.svc, runId, rest)),
  logBatch: orgWriteProcedure.input(ZRunIdInput.and(ZLogBatchInput)).mutation(({ ctx, input: { runId, ...batch } }) => ok(logBatch(ctx.svc, runId, batch))),
  setTag: orgWriteProcedure.input(ZRunIdInput.extend({ tag: ZTagInput })).mutation(({ ctx, input }) => ok(setRunTag(ctx.svc, input.runId, input.tag))),
  deleteTag: orgWriteProcedure.input(ZRunIdInput.extend({ key: ZTrackingKey })).mutation(({ ctx, input }) => ok(deleteRunTag(ctx.svc, input.runId, input.key))),
  delete: orgWriteProcedure.input(ZRunIdInput).mutation(({ ctx, input }) => ok(setRunLifecycle(ctx.svc, input.runId, "deleted"))),
  restore: orgWriteProcedure.input(ZRunIdInput).mutation(({ ctx, input }) => ok(setRunLifecycle(ctx.svc, input.runId, "active"))),
} satisfies TRPCRouterRecord;
