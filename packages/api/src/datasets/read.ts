import type { Readable } from "node:stream";

import { and, asc, count, desc, eq, inArray } from "@gantry/db";
import type { ColumnType, DatasetDetail, DatasetPreview, DatasetSummary, DatasetVersionRun } from "@gantry/schema";
import { datasetLimits, datasets, datasetVersions, experiments, GantryError, runInputs, runs } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { csvRecords } from "./csv";
import type { DatasetRow } from "./lookup";
import { datasetByName, getDatasetVersion, summaryOf, versionSummaryColumns } from "./lookup";
import type { Cell } from "./values";
import { isMissing, toCell } from "./values";

/** A version in memory, cells typed by `columns`: the `Table` of @gantry/ml's training code. */
export type DatasetTable = { columns: { name: string; type: ColumnType }[]; rows: Record<string, Cell>[] };

/**
 * Every row of a version, typed: numeric and integer as numbers, booleans as booleans, datetime
 * as epoch ms, categorical and text as strings, missing as null. This holds the whole table in
 * memory: it is what training takes.
 */
export async function readDatasetTable(ctx: OrgContext, store: ArtifactStore, versionId: string): Promise<DatasetTable> {
  const version = await getDatasetVersion(ctx, versionId);
  const columns = version.columns.map((c) => ({ name: c.name, type: c.type }));
  const rows: Record<string, Cell>[] = [];
  let header = true;
  for await (const fields of csvRecords(await store.get(version.sha256))) {
    if (header) {
      header = false;
      continue;
    }
    const row: Record<string, Cell> = {};
    columns.forEach((c, i) => (row[c.name] = toCell(c.type, fields[i] ?? "")));
    rows.push(row);
  }
  return { columns, rows };
}

/** The first `limit` rows (≤ 100) as written, missing cells as null; reads only as far as it needs. */
export async function previewDatasetVersion(ctx: OrgContext, store: ArtifactStore, versionId: string, limit = 20): Promise<DatasetPreview> {
  if (!Number.isInteger(limit) || limit < 1 || limit > datasetLimits.previewRows) {
    throw new GantryError("INVALID_INPUT", `limit must be between 1 and ${datasetLimits.previewRows}`, { field: "limit" });
  }
  const version = await getDatasetVersion(ctx, versionId);
  const columns = version.columns.map((c) => ({ name: c.name, type: c.type }));
  const rows: DatasetPreview["rows"] = [];
  let header = true;
  for await (const fields of csvRecords(await store.get(version.sha256))) {
    if (header) {
      header = false;
      continue;
    }
    const row: Record<string, string | null> = {};
    columns.forEach((c, i) => {
      const raw = fields[i] ?? "";
      row[c.name] = isMissing(raw) ? null : raw;
    });
    rows.push(row);
    if (rows.length >= limit) break;
  }
  return { columns, rows };
}

export type DatasetFile = { name: string; version: number; fileName: string; size: number; sha256: string; body: () => Promise<Readable> };

/** The stored CSV of a version, for download. */
export async function openDatasetFile(ctx: OrgContext, store: ArtifactStore, versionId: string): Promise<DatasetFile> {
  const version = await getDatasetVersion(ctx, versionId);
  return {
    name: version.name,
    version: version.version,
    fileName: version.fileName ?? `${version.name}-v${version.version}.csv`,
    size: version.size,
    sha256: version.sha256,
    body: () => store.get(version.sha256),
  };
}

/** Active runs that logged this version as an input (MLflow log-inputs or a training job), newest first. */
export async function runsUsingVersion(ctx: OrgContext, versionId: string): Promise<DatasetVersionRun[]> {
  const version = await getDatasetVersion(ctx, versionId);
  const rows = await ctx.db
    .selectDistinct({
      runId: runs.id,
      runName: runs.name,
      status: runs.status,
      experimentId: experiments.id,
      experimentName: experiments.name,
      startTime: runs.startTime,
    })
    .from(runInputs)
    .innerJoin(runs, eq(runs.id, runInputs.runId))
    .innerJoin(experiments, eq(experiments.id, runs.experimentId))
    .where(and(eq(runInputs.orgId, ctx.orgId), eq(runInputs.datasetVersionId, version.id), eq(runs.lifecycleStage, "active")))
    .orderBy(desc(runs.startTime), asc(runs.id))
    .limit(1000);
  return rows;
}

async function summaries(ctx: OrgContext, rows: DatasetRow[]): Promise<DatasetSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const counts = await ctx.db
    .select({ datasetId: datasetVersions.datasetId, n: count() })
    .from(datasetVersions)
    .where(inArray(datasetVersions.datasetId, ids))
    .groupBy(datasetVersions.datasetId);
  const latest = await ctx.db
    .selectDistinctOn([datasetVersions.datasetId], versionSummaryColumns)
    .from(datasetVersions)
    .where(inArray(datasetVersions.datasetId, ids))
    .orderBy(datasetVersions.datasetId, desc(datasetVersions.version));
  const countOf = new Map(counts.map((c) => [c.datasetId, c.n]));
  const latestOf = new Map(latest.map((v) => [v.datasetId, v]));
  return rows.map((r) => {
    const newest = latestOf.get(r.id);
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      versionCount: countOf.get(r.id) ?? 0,
      latest: newest ? summaryOf(newest) : null,
    };
  });
}

/** The org's datasets by name, each with its version count and latest version. */
export async function listDatasets(ctx: OrgContext): Promise<DatasetSummary[]> {
  const rows = await ctx.db.select().from(datasets).where(eq(datasets.orgId, ctx.orgId)).orderBy(asc(datasets.name)).limit(10_000);
  return summaries(ctx, rows);
}

/** One dataset with all its versions, newest first. */
export async function getDataset(ctx: OrgContext, name: string): Promise<DatasetDetail> {
  const dataset = await datasetByName(ctx, name);
  const [summary] = await summaries(ctx, [dataset]);
  if (!summary) throw new GantryError("NOT_FOUND", `No dataset named '${name}'`, { field: "name" });
  const versions = await ctx.db.select(versionSummaryColumns).from(datasetVersions).where(eq(datasetVersions.datasetId, dataset.id)).orderBy(desc(datasetVersions.version));
  return { ...summary, versions: versions.map(summaryOf) };
}
