import { z } from "zod";

import type { ColumnProfile, DatasetColumn, DatasetProfile } from "./datasets";
import { ZColumnType, ZDatasetName, ZDatasetRef } from "./datasets";
import { runStatuses } from "./tracking";

/* Contracts of the dataset surfaces (tRPC, REST, client). The tables are in ./datasets. */

export const datasetLimits = {
  descriptionLength: 20_000,
  previewRows: 100,
  /** More columns than this is refused: each column keeps bounded, but not tiny, profiling state. */
  columns: 2_000,
} as const;

export const ZDatasetDescription = z
  .string({ error: "description must be a string" })
  .max(datasetLimits.descriptionLength, { error: `description must be at most ${datasetLimits.descriptionLength} characters` });

/** Type overrides at upload, by column name. */
export const ZColumnTypeOverrides = z.record(z.string().min(1, { error: "a column name must not be empty" }), ZColumnType);
export type ColumnTypeOverrides = z.output<typeof ZColumnTypeOverrides>;

export const ZDatasetColumn = z.object({ name: z.string(), type: ZColumnType, inferredType: ZColumnType }) satisfies z.ZodType<DatasetColumn>;

export const ZColumnProfile = z.object({
  name: z.string(),
  type: ZColumnType,
  /** Non-missing values; `count + missing` is the row count. */
  count: z.number(),
  missing: z.number(),
  distinct: z.number().optional(),
  distinctCapped: z.boolean().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  mean: z.number().optional(),
  std: z.number().optional(),
  quantiles: z.record(z.string(), z.number()).optional(),
  histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number()) }).optional(),
  top: z.array(z.object({ value: z.string(), count: z.number() })).optional(),
}) satisfies z.ZodType<ColumnProfile>;

export const ZDatasetProfile = z.object({ rowCount: z.number(), columns: z.array(ZColumnProfile) }) satisfies z.ZodType<DatasetProfile>;

/** A version without its schema and profile (lists). */
export const ZDatasetVersionSummary = z.object({
  id: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  size: z.number(),
  fileName: z.string().nullable(),
  rowCount: z.number(),
  columnCount: z.number(),
  description: z.string().nullable(),
  createdAt: z.date(),
});
export type DatasetVersionSummary = z.output<typeof ZDatasetVersionSummary>;

export const ZDatasetVersion = ZDatasetVersionSummary.extend({
  datasetId: z.string(),
  /** The dataset's name. */
  name: z.string(),
  columns: z.array(ZDatasetColumn),
  profile: ZDatasetProfile,
  createdBy: z.string().nullable(),
});
export type DatasetVersion = z.output<typeof ZDatasetVersion>;

export const ZDatasetSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  versionCount: z.number(),
  latest: ZDatasetVersionSummary.nullable(),
});
export type DatasetSummary = z.output<typeof ZDatasetSummary>;

/** A dataset with all its versions, newest first. */
export const ZDatasetDetail = ZDatasetSummary.extend({ versions: z.array(ZDatasetVersionSummary) });
export type DatasetDetail = z.output<typeof ZDatasetDetail>;

export const ZDatasetUploadResult = z.object({
  version: ZDatasetVersion,
  /** True when the same content already was a version of this dataset: that version is returned, nothing new is stored. */
  duplicate: z.boolean(),
});
export type DatasetUploadResult = z.output<typeof ZDatasetUploadResult>;

/** The first rows as written in the file (missing cells as null). */
export const ZDatasetPreview = z.object({
  columns: z.array(z.object({ name: z.string(), type: ZColumnType })),
  rows: z.array(z.record(z.string(), z.string().nullable())),
});
export type DatasetPreview = z.output<typeof ZDatasetPreview>;

export const ZDatasetVersionRun = z.object({
  runId: z.string(),
  runName: z.string(),
  status: z.enum(runStatuses),
  experimentId: z.string(),
  experimentName: z.string(),
  startTime: z.number(),
});
export type DatasetVersionRun = z.output<typeof ZDatasetVersionRun>;

/* Inputs */

export const ZDatasetNameInput = z.object({ name: ZDatasetName });
/** `{ name, version }`, version a number or "latest" (the default). */
export const ZDatasetRefInput = ZDatasetRef;
export const ZDatasetPreviewInput = ZDatasetRef.extend({
  limit: z.number().int().min(1).max(datasetLimits.previewRows, { error: `limit must be at most ${datasetLimits.previewRows}` }).default(20),
});
export const ZSetDatasetDescriptionInput = ZDatasetNameInput.extend({ description: ZDatasetDescription.nullable() });

/** The options of an upload besides its bytes (REST query or form fields, CLI flags). */
export const ZDatasetUploadOptions = z.object({
  name: ZDatasetName,
  description: ZDatasetDescription.optional(),
  fileName: z.string().max(1000, { error: "fileName must be at most 1000 characters" }).optional(),
  columnTypes: ZColumnTypeOverrides.default({}),
});
export type DatasetUploadOptionsInput = z.input<typeof ZDatasetUploadOptions>;
