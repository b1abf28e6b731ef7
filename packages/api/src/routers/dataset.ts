import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import {
  GantryError,
  ZDatasetDetail,
  ZDatasetNameInput,
  ZDatasetPreview,
  ZDatasetPreviewInput,
  ZDatasetRefInput,
  ZDatasetSummary,
  ZDatasetVersion,
  ZDatasetVersionRun,
  ZSetDatasetDescriptionInput,
} from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import { deleteDataset, getDataset, listDatasets, previewDatasetVersion, resolveDatasetVersion, runsUsingVersion, setDatasetDescription } from "../datasets";
import { ok, orgAdminProcedure, orgProcedure, orgWriteProcedure } from "../trpc";

const storeOf = (ctx: { artifactStore?: ArtifactStore }): ArtifactStore => {
  if (!ctx.artifactStore) throw new GantryError("INTERNAL", "This server has no artifact store configured for the API");
  return ctx.artifactStore;
};

/** Versioned datasets. Uploads are streamed over REST (POST /api/v1/datasets/{name}/versions); versions are immutable. */
export const datasetRouter = {
  list: orgProcedure.output(z.array(ZDatasetSummary)).query(({ ctx }) => listDatasets(ctx.svc)),
  get: orgProcedure
    .input(ZDatasetNameInput)
    .output(ZDatasetDetail)
    .query(({ ctx, input }) => getDataset(ctx.svc, input.name)),
  /** One version's schema and profile (`version` a number or "latest"). */
  version: orgProcedure
    .input(ZDatasetRefInput)
    .output(ZDatasetVersion)
    .query(({ ctx, input }) => resolveDatasetVersion(ctx.svc, input)),
  preview: orgProcedure
    .input(ZDatasetPreviewInput)
    .output(ZDatasetPreview)
    .query(async ({ ctx, input }) => {
      const version = await resolveDatasetVersion(ctx.svc, input);
      return previewDatasetVersion(ctx.svc, storeOf(ctx), version.id, input.limit);
    }),
  /** Runs that used the version (MLflow log-inputs or training jobs). */
  runs: orgProcedure
    .input(ZDatasetRefInput)
    .output(z.array(ZDatasetVersionRun))
    .query(async ({ ctx, input }) => runsUsingVersion(ctx.svc, (await resolveDatasetVersion(ctx.svc, input)).id)),
  setDescription: orgWriteProcedure.input(ZSetDatasetDescriptionInput).mutation(({ ctx, input }) => ok(setDatasetDescription(ctx.svc, input.name, input.description))),
  /** The dataset and every version; files shared with other rows stay in the store. */
  delete: orgAdminProcedure
    .input(ZDatasetNameInput)
    .output(z.object({ versionsDeleted: z.number() }))
    .mutation(({ ctx, input }) => deleteDataset(ctx.svc, input.name, { store: ctx.artifactStore })),
} satisfies TRPCRouterRecord;
