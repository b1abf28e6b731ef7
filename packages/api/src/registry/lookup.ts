import { and, asc, eq, inArray } from "@gantry/db";
import type { ModelVersion } from "@gantry/schema";
import { GantryError, modelAliases, modelVersions, registeredModels, ZModelName } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";

export type RegisteredModelRow = typeof registeredModels.$inferSelect;
export type ModelVersionRow = typeof modelVersions.$inferSelect;

/** The user a write is recorded against (a key's creator, the user a system actor works for). */
export const actingUserId = (ctx: OrgContext): string | null =>
  ctx.actor.type === "user" ? ctx.actor.userId : ctx.actor.type === "api_key" ? ctx.actor.userId : (ctx.actor.onBehalfOf ?? null);

/** A PostgreSQL unique violation (23505), anywhere in the cause chain. */
export const isUniqueViolation = (error: unknown): boolean => {
  for (let e = error; e instanceof Error; e = e.cause) if ((e as { code?: string }).code === "23505") return true;
  return false;
};

/** The org's model of that name; NOT_FOUND names it. */
export async function modelByName(ctx: OrgContext, rawName: string, options: { forUpdate?: boolean } = {}): Promise<RegisteredModelRow> {
  const name = parseInput(ZModelName, rawName);
  const query = ctx.db
    .select()
    .from(registeredModels)
    .where(and(eq(registeredModels.orgId, ctx.orgId), eq(registeredModels.name, name)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw new GantryError("NOT_FOUND", `No registered model named '${name}'`, { field: "name" });
  return row;
}

/** Version `number` of a model row; NOT_FOUND names both. */
export async function versionRow(ctx: OrgContext, model: RegisteredModelRow, number: number, options: { forUpdate?: boolean } = {}): Promise<ModelVersionRow> {
  const query = ctx.db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, number)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw new GantryError("NOT_FOUND", `Model '${model.name}' has no version ${number}`, { field: "version" });
  return row;
}

/** Alias names per version id. */
export async function aliasesByVersion(ctx: OrgContext, versionIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!versionIds.length) return out;
  const rows = await ctx.db
    .select({ alias: modelAliases.alias, versionId: modelAliases.versionId })
    .from(modelAliases)
    .where(and(eq(modelAliases.orgId, ctx.orgId), inArray(modelAliases.versionId, versionIds)))
    .orderBy(asc(modelAliases.alias));
  for (const r of rows) out.set(r.versionId, [...(out.get(r.versionId) ?? []), r.alias]);
  return out;
}

export const toModelVersion = (row: ModelVersionRow, name: string, aliases: string[]): ModelVersion => ({
  id: row.id,
  modelId: row.modelId,
  name,
  version: row.version,
  sourceRunId: row.sourceRunId,
  datasetVersionId: row.datasetVersionId,
  pipelineSha256: row.pipelineSha256,
  pipelineSize: row.pipelineSize,
  signature: row.signature,
  metrics: row.metrics,
  status: row.status,
  description: row.description,
  modelCard: row.modelCard,
  tags: row.tags,
  archived: row.archived,
  aliases,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
});

export async function hydrateVersions(ctx: OrgContext, rows: ModelVersionRow[], name: string): Promise<ModelVersion[]> {
  const aliases = await aliasesByVersion(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toModelVersion(r, name, aliases.get(r.id) ?? []));
}
