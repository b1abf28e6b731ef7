import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { z } from "zod";

import { users } from "./auth";
import { createdAt, idColumn, timestamps } from "./common";
import { orgs } from "./org";

/*
 * Versioned datasets. A dataset is a name per org; its versions are immutable CSV files in the
 * content-addressed artifact store, each with the schema inferred at upload (overridable) and a
 * profile per column. Identical content uploaded again is the same version, not a new one.
 */

export const columnTypes = ["numeric", "integer", "boolean", "categorical", "datetime", "text"] as const;
export type ColumnType = (typeof columnTypes)[number];
export const ZColumnType = z.enum(columnTypes, { error: `type must be one of ${columnTypes.join(", ")}` });

export type DatasetColumn = {
  name: string;
  type: ColumnType;
  /** What inference said, kept when the uploader overrode it. */
  inferredType: ColumnType;
};

/** Profile of one column over every row of the version. */
export type ColumnProfile = {
  name: string;
  type: ColumnType;
  count: number;
  missing: number;
  distinct?: number;
  /** Set when there were more distinct values than were counted: `distinct` is then a lower bound. */
  distinctCapped?: boolean;
  /** Numbers (numeric, integer; datetime as epoch ms). */
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  /** p01, p05, p25, p50, p75, p95, p99 (approximate for large files: t-digest). */
  quantiles?: Record<string, number>;
  histogram?: { edges: number[]; counts: number[] };
  /** Categories, booleans and text: the most frequent values. */
  top?: { value: string; count: number }[];
};

export type DatasetProfile = { rowCount: number; columns: ColumnProfile[] };

export const datasets = pgTable(
  "datasets",
  {
    id: idColumn(),
    orgId: uuid()
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    name: text().notNull(),
    description: text(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [uniqueIndex().on(t.orgId, t.name)],
);

export const datasetVersions = pgTable(
  "dataset_versions",
  {
    id: idColumn(),
    orgId: uuid()
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    datasetId: uuid()
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    /** 1, 2, 3, … per dataset. */
    version: integer().notNull(),
    /** sha256 of the file: its address in the artifact store, and the dedup key. */
    sha256: text().notNull(),
    size: bigint({ mode: "number" }).notNull(),
    fileName: text(),
    rowCount: bigint({ mode: "number" }).notNull(),
    columns: jsonb().$type<DatasetColumn[]>().notNull(),
    profile: jsonb().$type<DatasetProfile>().notNull(),
    description: text(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.datasetId, t.version), uniqueIndex().on(t.datasetId, t.sha256), index().on(t.orgId, t.sha256)],
);

export const datasetNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
export const ZDatasetName = z
  .string({ error: "name is required" })
  .regex(datasetNamePattern, { error: "name must be 1-100 letters, digits, '_', '.', '-' and start with a letter or digit" });

/** `name`, `name@3` or `name@latest`. */
export const ZDatasetRef = z.object({
  name: ZDatasetName,
  version: z.union([z.number().int().positive(), z.literal("latest")]).default("latest"),
});
export type DatasetRef = z.output<typeof ZDatasetRef>;

export function parseDatasetRef(ref: string): DatasetRef {
  const [name = "", version] = ref.split("@");
  return ZDatasetRef.parse({ name, version: version === undefined || version === "latest" ? "latest" : Number(version) });
}
