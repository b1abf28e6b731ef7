import { and, desc, eq, sql } from "@gantry/db";
import type { DatasetRef, DatasetVersion, DatasetVersionSummary } from "@gantry/schema";
import { datasets, datasetVersions, GantryError, ZDatasetName, ZDatasetRef } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { isUuid } from "../tracking/ids";

export type DatasetRow = typeof datasets.$inferSelect;
export type DatasetVersionRow = typeof datasetVersions.$inferSelect;

export const toVersionSummary = (row: DatasetVersionRow): DatasetVersionSummary => summaryOf({ ...row, columnCount: row.columns.length });

/**
 * The columns a version summary needs, for list queries: the column count is computed in SQL, so
 * the schema and profile jsonb (large for wide files) are not read.
 */
export const versionSummaryColumns = {
  id: datasetVersions.id,
  datasetId: datasetVersions.datasetId,
  version: datasetVersions.version,
  sha256: datasetVersions.sha256,
  size: datasetVersions.size,
  fileName: datasetVersions.fileName,
  rowCount: datasetVersions.rowCount,
  columnCount: sql<number>`jsonb_array_length(${datasetVersions.columns})`.mapWith(Number),
  description: datasetVersions.description,
  createdAt: datasetVersions.createdAt,
};

export const summaryOf = (row: DatasetVersionSummary): DatasetVersionSummary => ({
  id: row.id,
  version: row.version,
  sha256: row.sha256,
  size: row.size,
  fileName: row.fileName,
  rowCount: row.rowCount,
  columnCount: row.columnCount,
  description: row.description,
  createdAt: row.createdAt,
});

export const toDatasetVersion = (row: DatasetVersionRow, name: string): DatasetVersion => ({
  ...toVersionSummary(row),
  datasetId: row.datasetId,
  name,
  columns: row.columns,
  profile: row.profile,
  createdBy: row.createdBy,
});

/** The org's dataset of that name; NOT_FOUND names it. */
export async function datasetByName(ctx: OrgContext, rawName: string, options: { forUpdate?: boolean } = {}): Promise<DatasetRow> {
  const name = parseInput(ZDatasetName, rawName);
  const query = ctx.db
    .select()
    .from(datasets)
    .where(and(eq(datasets.orgId, ctx.orgId), eq(datasets.name, name)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw new GantryError("NOT_FOUND", `No dataset named '${name}'`, { field: "name" });
  return row;
}

/** `name@version` or `name@latest` of the org; NOT_FOUND names the dataset and version. */
export async function resolveDatasetVersion(ctx: OrgContext, rawRef: DatasetRef | { name: string; version?: number | "latest" }): Promise<DatasetVersion> {
  const ref = parseInput(ZDatasetRef, rawRef);
  const dataset = await datasetByName(ctx, ref.name);
  const [row] = await ctx.db
    .select()
    .from(datasetVersions)
    .where(and(eq(datasetVersions.datasetId, dataset.id), ref.version === "latest" ? undefined : eq(datasetVersions.version, ref.version)))
    .orderBy(desc(datasetVersions.version))
    .limit(1);
  if (!row) {
    const message = ref.version === "latest" ? `Dataset '${dataset.name}' has no versions` : `Dataset '${dataset.name}' has no version ${ref.version}`;
    throw new GantryError("NOT_FOUND", message, { field: "version" });
  }
  return toDatasetVersion(row, dataset.name);
}

/** A version of the org by id, with its dataset's name. */
export async function getDatasetVersion(ctx: OrgContext, versionId: string): Promise<DatasetVersion> {
  const notFound = new GantryError("NOT_FOUND", `No dataset version with id ${versionId}`, { field: "versionId" });
  if (!isUuid(versionId)) throw notFound;
  const [found] = await ctx.db
    .select({ version: datasetVersions, name: datasets.name })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .where(and(eq(datasetVersions.id, versionId), eq(datasetVersions.orgId, ctx.orgId)));
  if (!found) throw notFound;
  return toDatasetVersion(found.version, found.name);
}
