import { and, asc, count, desc, eq, inArray, max } from "@gantry/db";
import type { RegisteredModel } from "@gantry/schema";
import {
  GantryError,
  modelAliasEvents,
  modelAliases,
  modelVersions,
  registeredModels,
  ZCreateModelInput,
  ZModelDescription,
  ZModelName,
  ZModelTag,
} from "@gantry/schema";
import type { CreateModelInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { assertNotServed } from "../serving/served";
import { mutate } from "../services/audit";
import type { RegisteredModelRow } from "./lookup";
import { actingUserId, isUniqueViolation, modelByName } from "./lookup";

const duplicate = (name: string) => new GantryError("CONFLICT", `A registered model named '${name}' already exists`, { field: "name" });

export async function describeModels(ctx: OrgContext, rows: RegisteredModelRow[]): Promise<RegisteredModel[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const counts = await ctx.db
    .select({ modelId: modelVersions.modelId, n: count(), latest: max(modelVersions.version) })
    .from(modelVersions)
    .where(and(eq(modelVersions.orgId, ctx.orgId), inArray(modelVersions.modelId, ids)))
    .groupBy(modelVersions.modelId);
  const aliases = await ctx.db
    .select({ modelId: modelAliases.modelId, alias: modelAliases.alias, version: modelVersions.version })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(and(eq(modelAliases.orgId, ctx.orgId), inArray(modelAliases.modelId, ids)))
    .orderBy(asc(modelAliases.alias));
  const countOf = new Map(counts.map((c) => [c.modelId, c]));
  return rows.map((r) => {
    const c = countOf.get(r.id);
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      tags: r.tags,
      versionCount: c?.n ?? 0,
      latestVersion: c?.latest ?? null,
      aliases: aliases.filter((a) => a.modelId === r.id).map((a) => ({ alias: a.alias, version: a.version })),
      createdBy: r.createdBy,
      updatedBy: r.updatedBy,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  });
}

/** Inserts the model row; CONFLICT when the name is taken. Runs inside the caller's transaction. */
export async function insertModel(ctx: OrgContext, input: { name: string; description?: string; tags?: { key: string; value: string }[] }): Promise<RegisteredModelRow> {
  const [row] = await ctx.db
    .insert(registeredModels)
    .values({
      orgId: ctx.orgId,
      name: input.name,
      description: input.description ?? null,
      tags: Object.fromEntries((input.tags ?? []).map((t) => [t.key, t.value])),
      createdBy: actingUserId(ctx),
      updatedBy: actingUserId(ctx),
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw duplicate(input.name);
  return row;
}

export async function createRegisteredModel(ctx: OrgContext, raw: CreateModelInput): Promise<RegisteredModel> {
  const input = parseInput(ZCreateModelInput, raw);
  const row = await mutate(
    ctx,
    (r: RegisteredModelRow) => ({ action: "model.create", targetType: "registered_model", targetId: r.id, data: { name: r.name } }),
    (tx) => insertModel({ ...ctx, db: tx }, input),
  );
  const [model] = await describeModels(ctx, [row]);
  if (!model) throw new GantryError("INTERNAL", "created model vanished");
  return model;
}

/** A model with its version count, newest version number and aliases. */
export async function getRegisteredModel(ctx: OrgContext, name: string): Promise<RegisteredModel> {
  const [model] = await describeModels(ctx, [await modelByName(ctx, name)]);
  if (!model) throw new GantryError("INTERNAL", "model vanished");
  return model;
}

/** The org's models, most recently updated first. */
export async function listRegisteredModels(ctx: OrgContext): Promise<RegisteredModel[]> {
  const rows = await ctx.db.select().from(registeredModels).where(eq(registeredModels.orgId, ctx.orgId)).orderBy(desc(registeredModels.updatedAt), asc(registeredModels.name));
  return describeModels(ctx, rows);
}

async function updateModelRow(ctx: OrgContext, name: string, action: string, data: Record<string, unknown>, change: (row: RegisteredModelRow) => Partial<RegisteredModelRow>): Promise<RegisteredModel> {
  const updated = await mutate(
    ctx,
    (row: RegisteredModelRow) => ({ action, targetType: "registered_model", targetId: row.id, data: { name, ...data } }),
    async (tx) => {
      const row = await modelByName({ ...ctx, db: tx }, name, { forUpdate: true });
      const [after] = await tx
        .update(registeredModels)
        .set({ ...change(row), updatedBy: actingUserId(ctx) })
        .where(eq(registeredModels.id, row.id))
        .returning();
      return after ?? row;
    },
  );
  const [model] = await describeModels(ctx, [updated]);
  if (!model) throw new GantryError("INTERNAL", "model vanished");
  return model;
}

export const updateRegisteredModel = (ctx: OrgContext, name: string, rawDescription: string | null) => {
  const description = rawDescription === null ? null : parseInput(ZModelDescription, rawDescription);
  return updateModelRow(ctx, name, "model.update", { field: "description" }, () => ({ description }));
};

export async function renameRegisteredModel(ctx: OrgContext, name: string, rawNewName: string): Promise<RegisteredModel> {
  const newName = parseInput(ZModelName, rawNewName);
  try {
    return await updateModelRow(ctx, name, "model.rename", { newName }, () => ({ name: newName }));
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate(newName);
    throw error;
  }
}

export function setModelTag(ctx: OrgContext, name: string, rawTag: { key: string; value: string }): Promise<RegisteredModel> {
  const tag = parseInput(ZModelTag, rawTag);
  return updateModelRow(ctx, name, "model.set_tag", { key: tag.key }, (row) => ({ tags: { ...row.tags, [tag.key]: tag.value } }));
}

export function deleteModelTag(ctx: OrgContext, name: string, key: string): Promise<RegisteredModel> {
  return updateModelRow(ctx, name, "model.delete_tag", { key }, (row) => {
    if (!(key in row.tags)) throw new GantryError("NOT_FOUND", `Model '${row.name}' has no tag '${key}'`, { field: "key" });
    return { tags: Object.fromEntries(Object.entries(row.tags).filter(([k]) => k !== key)) };
  });
}

/**
 * Deletes a model, its versions and aliases. The alias history goes with the model, so each
 * removal is recorded in the audit event instead. The pipeline bytes stay in the store (runs
 * share them).
 */
export async function deleteRegisteredModel(ctx: OrgContext, name: string): Promise<{ versionsDeleted: number }> {
  return mutate(
    ctx,
    (r: { id: string; versionsDeleted: number; aliases: { alias: string; version: number }[] }) => ({
      action: "model.delete",
      targetType: "registered_model",
      targetId: r.id,
      data: { name, versions: r.versionsDeleted, aliasesRemoved: r.aliases },
    }),
    async (tx) => {
      const c = { ...ctx, db: tx };
      const row = await modelByName(c, name, { forUpdate: true });
      // Locked so that no deploy starts serving one of them before this commits.
      const versionRows = await tx.select({ id: modelVersions.id, version: modelVersions.version }).from(modelVersions).where(eq(modelVersions.modelId, row.id)).for("update");
      await assertNotServed(c, row.name, versionRows, `delete model '${row.name}'`);
      const aliases = await tx
        .select({ alias: modelAliases.alias, version: modelVersions.version })
        .from(modelAliases)
        .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
        .where(eq(modelAliases.modelId, row.id));
      await tx.delete(modelAliasEvents).where(eq(modelAliasEvents.modelId, row.id));
      const versions = await tx.delete(modelVersions).where(eq(modelVersions.modelId, row.id)).returning({ id: modelVersions.id });
      await tx.delete(registeredModels).where(eq(registeredModels.id, row.id));
      return { id: row.id, versionsDeleted: versions.length, aliases };
    },
  ).then((r) => ({ versionsDeleted: r.versionsDeleted }));
}
