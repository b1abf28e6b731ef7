import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import {
  ZAliasEvent,
  ZAliasHistoryInput,
  ZCompareVersionsInput,
  ZCreateModelInput,
  ZDeleteAliasInput,
  ZListModelVersionsInput,
  ZModelNameInput,
  ZModelTagInput,
  ZModelTagKeyInput,
  ZModelVersion,
  ZModelVersionRef,
  ZRegisteredModel,
  ZRegisterVersionInput,
  ZRenameModelInput,
  ZResolveModelUriInput,
  ZSetAliasInput,
  ZUpdateModelInput,
  ZUpdateModelVersionInput,
  ZVersionComparison,
  ZVersionTagInput,
  ZVersionLineage,
  ZVersionTagKeyInput,
} from "@gantry/schema";

import {
  aliasHistory,
  compareVersions,
  createRegisteredModel,
  deleteAlias,
  deleteModelTag,
  deleteModelVersion,
  deleteRegisteredModel,
  deleteVersionTag,
  getModelVersion,
  getRegisteredModel,
  listModelVersions,
  listRegisteredModels,
  registerVersionFromRun,
  renameRegisteredModel,
  resolveModelUri,
  setAlias,
  setModelTag,
  setVersionTag,
  updateModelVersion,
  updateRegisteredModel,
  versionLineage,
} from "../registry";
import { ok, orgAdminProcedure, orgProcedure, orgWriteProcedure } from "../trpc";

/** The model registry: registered models, versions made from runs, aliases with their history. */
export const modelRouter = {
  list: orgProcedure.output(z.array(ZRegisteredModel)).query(({ ctx }) => listRegisteredModels(ctx.svc)),
  get: orgProcedure
    .input(ZModelNameInput)
    .output(ZRegisteredModel)
    .query(({ ctx, input }) => getRegisteredModel(ctx.svc, input.name)),
  create: orgWriteProcedure
    .input(ZCreateModelInput)
    .output(ZRegisteredModel)
    .mutation(({ ctx, input }) => createRegisteredModel(ctx.svc, input)),
  update: orgWriteProcedure
    .input(ZUpdateModelInput)
    .output(ZRegisteredModel)
    .mutation(({ ctx, input }) => updateRegisteredModel(ctx.svc, input.name, input.description)),
  rename: orgWriteProcedure
    .input(ZRenameModelInput)
    .output(ZRegisteredModel)
    .mutation(({ ctx, input }) => renameRegisteredModel(ctx.svc, input.name, input.newName)),
  /** The model, its versions and aliases (the pipeline bytes stay: runs share them). */
  delete: orgAdminProcedure
    .input(ZModelNameInput)
    .output(z.object({ versionsDeleted: z.number() }))
    .mutation(({ ctx, input }) => deleteRegisteredModel(ctx.svc, input.name)),
  setTag: orgWriteProcedure
    .input(ZModelTagInput)
    .output(ZRegisteredModel)
    .mutation(({ ctx, input }) => setModelTag(ctx.svc, input.name, input.tag)),
  deleteTag: orgWriteProcedure
    .input(ZModelTagKeyInput)
    .output(ZRegisteredModel)
    .mutation(({ ctx, input }) => deleteModelTag(ctx.svc, input.name, input.key)),
  versions: orgProcedure
    .input(ZListModelVersionsInput)
    .output(z.array(ZModelVersion))
    .query(({ ctx, input }) => listModelVersions(ctx.svc, input.name, { includeArchived: input.includeArchived })),
  version: orgProcedure
    .input(ZModelVersionRef)
    .output(ZModelVersion)
    .query(({ ctx, input }) => getModelVersion(ctx.svc, input.name, input.version)),
  /** A FINISHED run's `model/pipeline.json` as the next version (the model is created when missing). */
  register: orgWriteProcedure
    .input(ZRegisterVersionInput)
    .output(ZModelVersion)
    .mutation(({ ctx, input }) => registerVersionFromRun(ctx.svc, ctx.artifactStore, input)),
  updateVersion: orgWriteProcedure
    .input(ZUpdateModelVersionInput)
    .output(ZModelVersion)
    .mutation(({ ctx, input }) => updateModelVersion(ctx.svc, input)),
  setVersionTag: orgWriteProcedure
    .input(ZVersionTagInput)
    .output(ZModelVersion)
    .mutation(({ ctx, input }) => setVersionTag(ctx.svc, input, input.tag)),
  deleteVersionTag: orgWriteProcedure
    .input(ZVersionTagKeyInput)
    .output(ZModelVersion)
    .mutation(({ ctx, input }) => deleteVersionTag(ctx.svc, input, input.key)),
  deleteVersion: orgAdminProcedure.input(ZModelVersionRef).mutation(({ ctx, input }) => ok(deleteModelVersion(ctx.svc, input.name, input.version))),
  setAlias: orgWriteProcedure
    .input(ZSetAliasInput)
    .output(ZModelVersion)
    .mutation(({ ctx, input }) => setAlias(ctx.svc, input)),
  deleteAlias: orgWriteProcedure.input(ZDeleteAliasInput).mutation(({ ctx, input }) => ok(deleteAlias(ctx.svc, input))),
  aliasHistory: orgProcedure
    .input(ZAliasHistoryInput)
    .output(z.array(ZAliasEvent))
    .query(({ ctx, input }) => aliasHistory(ctx.svc, input)),
  /** `models:/name@alias`, `models:/name/3`, `models:/name/latest` → the version. */
  resolve: orgProcedure
    .input(ZResolveModelUriInput)
    .output(ZModelVersion)
    .query(({ ctx, input }) => resolveModelUri(ctx.svc, input.uri)),
  compare: orgProcedure
    .input(ZCompareVersionsInput)
    .output(ZVersionComparison)
    .query(({ ctx, input }) => compareVersions(ctx.svc, input)),
  /** Dataset version → run (and its job) → the version, and the other versions trained on that dataset version. */
  lineage: orgProcedure
    .input(ZModelVersionRef)
    .output(ZVersionLineage)
    .query(({ ctx, input }) => versionLineage(ctx.svc, input.name, input.version)),
} satisfies TRPCRouterRecord;
