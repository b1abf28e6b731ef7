import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { ZCreateExperimentInput, ZExperiment, ZExperimentIdInput, ZExperimentName, ZSearchExperimentsInput, ZTagInput, ZTrackingKey } from "@gantry/schema";

import { experimentKeys } from "../tracking/compare";
import { searchExperiments } from "../tracking/experiment-search";
import { createExperiment, deleteExperimentTag, getExperiment, renameExperiment, setExperimentDescription, setExperimentLifecycle, setExperimentTag } from "../tracking/experiments";
import { ok, orgProcedure, orgWriteProcedure } from "../trpc";

export const experimentRouter = {
  list: orgProcedure
    .input(ZSearchExperimentsInput)
    .output(z.object({ experiments: z.array(ZExperiment), nextPageToken: z.string().nullable() }))
    .query(({ ctx, input }) => searchExperiments(ctx.svc, input)),
  get: orgProcedure.input(ZExperimentIdInput).output(ZExperiment).query(({ ctx, input }) => getExperiment(ctx.svc, input.experimentId)),
  /** Param and metric keys used by the experiment's runs (for column pickers). */
  keys: orgProcedure
    .input(ZExperimentIdInput)
    .output(z.object({ params: z.array(z.string()), metrics: z.array(z.string()) }))
    .query(async ({ ctx, input }) => experimentKeys(ctx.svc, (await getExperiment(ctx.svc, input.experimentId)).id)),
  create: orgWriteProcedure.input(ZCreateExperimentInput).output(ZExperiment).mutation(({ ctx, input }) => createExperiment(ctx.svc, input)),
  rename: orgWriteProcedure.input(ZExperimentIdInput.extend({ name: ZExperimentName })).mutation(({ ctx, input }) => ok(renameExperiment(ctx.svc, input.experimentId, input.name))),
  setDescription: orgWriteProcedure
    .input(ZExperimentIdInput.extend({ description: z.string().max(20_000).nullable() }))
    .mutation(({ ctx, input }) => ok(setExperimentDescription(ctx.svc, input.experimentId, input.description))),
  delete: orgWriteProcedure.input(ZExperimentIdInput).mutation(({ ctx, input }) => ok(setExperimentLifecycle(ctx.svc, input.experimentId, "deleted"))),
  restore: orgWriteProcedure.input(ZExperimentIdInput).mutation(({ ctx, input }) => ok(setExperimentLifecycle(ctx.svc, input.experimentId, "active"))),
  setTag: orgWriteProcedure.input(ZExperimentIdInput.extend({ tag: ZTagInput })).mutation(({ ctx, input }) => ok(setExperimentTag(ctx.svc, input.experimentId, input.tag))),
  deleteTag: orgWriteProcedure.input(ZExperimentIdInput.extend({ key: ZTrackingKey })).mutation(({ ctx, input }) => ok(deleteExperimentTag(ctx.svc, input.experimentId, input.key))),
} satisfies TRPCRouterRecord;
