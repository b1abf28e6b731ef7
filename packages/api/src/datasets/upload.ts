import { createHash } from "node:crypto";

import type { Executor } from "@gantry/db";
import { and, eq, sql } from "@gantry/db";
import type { ColumnType, DatasetColumn, DatasetProfile, DatasetUploadResult } from "@gantry/schema";
import { datasets, datasetVersions, GantryError, ZDatasetUploadOptions } from "@gantry/schema";

import type { ArtifactBody, ArtifactStore } from "../artifacts";
import type { Actor, OrgContext } from "../context";
import { parseInput } from "../parse";
import { recordAudit } from "../services/audit";
import { releaseContent } from "./content-refs";
import { CsvFeed } from "./csv";
import type { DatasetVersionRow } from "./lookup";
import { toDatasetVersion } from "./lookup";
import { CsvProfiler } from "./profiler";

export type CreateDatasetVersionInput = {
  name: string;
  body: ArtifactBody;
  fileName?: string;
  description?: string;
  /** Type overrides by column name; a value that does not fit fails the upload. */
  columnTypes?: Record<string, ColumnType>;
  /** Largest file accepted (GANTRY_MAX_DATASET_BYTES on the web app). */
  maxBytes: number;
};

type Analysed = { sha256: string; size: number; columns: DatasetColumn[]; profile: DatasetProfile };

/**
 * Uploads a CSV as the next version of a dataset (created on first upload). The body is read
 * once: each chunk goes to the parser (schema inference, profile) and to the content-addressed
 * store. Every check of the file (size, header, rows, type overrides) happens before the store
 * keeps the bytes, so a refused file leaves nothing behind, neither bytes nor rows. Identical
 * content returns the existing version (`duplicate: true`).
 */
export async function createDatasetVersion(ctx: OrgContext, store: ArtifactStore, input: CreateDatasetVersionInput): Promise<DatasetUploadResult> {
  const options = parseInput(ZDatasetUploadOptions, { name: input.name, description: input.description, fileName: input.fileName, columnTypes: input.columnTypes ?? {} });
  const { maxBytes } = input;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new GantryError("INVALID_INPUT", "maxBytes must be a positive integer", { field: "maxBytes" });

  const profiler = new CsvProfiler(options.columnTypes);
  const feed = new CsvFeed((fields) => profiler.onRecord(fields));
  let analysed: Analysed | undefined;
  let existedBefore = true;
  let failure: unknown;

  async function* analyse(): AsyncGenerator<Buffer, void, undefined> {
    try {
      const hash = createHash("sha256");
      let size = 0;
      for await (const chunk of input.body as AsyncIterable<Uint8Array | string>) {
        const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        size += bytes.byteLength;
        if (size > maxBytes) throw new GantryError("INVALID_INPUT", `The file is larger than the dataset limit of ${formatBytes(maxBytes)} (GANTRY_MAX_DATASET_BYTES)`, { field: "file" });
        hash.update(bytes);
        feed.write(bytes);
        yield bytes;
      }
      await feed.end();
      const { columns, profile } = profiler.finish();
      const sha256 = hash.digest("hex");
      // Asked before the store finishes this put: whether these bytes are ours to delete if recording fails.
      existedBefore = await store.has(sha256);
      analysed = { sha256, size, columns, profile };
    } catch (error) {
      failure = error;
      feed.destroy();
      throw error;
    }
  }

  let stored: { sha256: string; size: number };
  try {
    stored = await store.put(analyse(), { maxBytes });
  } catch (error) {
    // A backend may wrap what the body threw; the caller gets our error, naming the problem.
    throw failure ?? error;
  }
  if (!analysed || analysed.sha256 !== stored.sha256) throw new Error("The stored dataset does not match what was parsed");

  try {
    return await recordVersion(ctx, { ...analysed, name: options.name, description: options.description ?? null, fileName: options.fileName ?? null, overrides: options.columnTypes });
  } catch (error) {
    if (!existedBefore) await releaseContent(ctx.db, store, analysed.sha256);
    throw error;
  }
}

type VersionValues = Analysed & { name: string; description: string | null; fileName: string | null; overrides: Record<string, ColumnType> };

const isUniqueViolation = (error: unknown): boolean => {
  for (let e = error; e instanceof Error; e = e.cause) if ((e as { code?: string }).code === "23505") return true;
  return false;
};

const creatorOf = (actor: Actor): string | null => (actor.type === "system" ? null : actor.userId);

/**
 * In one transaction: the dataset row (created if missing, then locked so concurrent uploads to
 * it queue up), the duplicate check, version = max + 1, the audit event. A unique-index violation
 * from a race the lock cannot cover (two first uploads) is retried.
 */
async function recordVersion(ctx: OrgContext, v: VersionValues): Promise<DatasetUploadResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { row, duplicate } = await ctx.db.transaction((tx) => insertVersion(tx, ctx, v));
      return { version: toDatasetVersion(row, v.name), duplicate };
    } catch (error) {
      if (attempt < 4 && (isUniqueViolation(error) || error instanceof DatasetVanished)) continue;
      throw error;
    }
  }
}

class DatasetVanished extends Error {}

async function insertVersion(tx: Executor, ctx: OrgContext, v: VersionValues): Promise<{ row: DatasetVersionRow; duplicate: boolean }> {
  const createdBy = creatorOf(ctx.actor);
  const [created] = await tx
    .insert(datasets)
    .values({ orgId: ctx.orgId, name: v.name, description: v.description, createdBy })
    .onConflictDoNothing({ target: [datasets.orgId, datasets.name] })
    .returning({ id: datasets.id });
  const [dataset] = await tx
    .select()
    .from(datasets)
    .where(and(eq(datasets.orgId, ctx.orgId), eq(datasets.name, v.name)))
    .for("update");
  // Deleted by a transaction that held the lock before us: start over (the dataset is created again).
  if (!dataset) throw new DatasetVanished();

  const [existing] = await tx
    .select()
    .from(datasetVersions)
    .where(and(eq(datasetVersions.datasetId, dataset.id), eq(datasetVersions.sha256, v.sha256)));
  if (existing) {
    assertSameTypes(existing, v.overrides, v.name);
    return { row: existing, duplicate: true };
  }

  const [last] = await tx
    .select({ max: sql<number | null>`max(${datasetVersions.version})` })
    .from(datasetVersions)
    .where(eq(datasetVersions.datasetId, dataset.id));
  const version = (last?.max ?? 0) + 1;
  const [row] = await tx
    .insert(datasetVersions)
    .values({
      orgId: ctx.orgId,
      datasetId: dataset.id,
      version,
      sha256: v.sha256,
      size: v.size,
      fileName: v.fileName,
      rowCount: v.profile.rowCount,
      columns: v.columns,
      profile: v.profile,
      description: v.description,
      createdBy,
    })
    .returning();
  if (!row) throw new Error("The dataset version was not inserted");
  if (!created) await tx.update(datasets).set({ updatedAt: new Date() }).where(eq(datasets.id, dataset.id));
  await recordAudit(tx, ctx.orgId, ctx.actor, {
    action: "dataset.version.create",
    targetType: "dataset_version",
    targetId: row.id,
    data: { name: v.name, version, sha256: v.sha256, rows: v.profile.rowCount, datasetCreated: Boolean(created) },
  });
  return { row, duplicate: false };
}

/**
 * Versions are immutable and content is the dedup key: the same bytes with an override the stored
 * version does not have cannot become a second version, and silently answering the old types
 * would hide that. (Without overrides, the same bytes are simply the same version.)
 */
function assertSameTypes(existing: DatasetVersionRow, overrides: Record<string, ColumnType>, name: string): void {
  const before = new Map(existing.columns.map((c) => [c.name, c.type]));
  const changed = Object.entries(overrides).find(([column, type]) => before.get(column) !== type);
  if (changed) {
    const [column, type] = changed;
    throw new GantryError(
      "CONFLICT",
      `This file is already version ${existing.version} of '${name}', where column '${column}' is ${before.get(column) ?? "absent"}, not ${type}; versions are immutable, so upload it under another dataset name to change its types`,
      { field: `columnTypes.${column}` },
    );
  }
}

function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1 && value % 1024 === 0) {
    value /= 1024;
    unit += 1;
  }
  return `${value} ${units[unit]}`;
}
