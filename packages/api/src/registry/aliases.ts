import { and, desc, eq, sql } from "@gantry/db";
import type { AliasEvent, DeleteAliasInput, ModelVersion, SetAliasInput } from "@gantry/schema";
import { GantryError, modelAliasEvents, modelAliases, modelVersions, ZAliasHistoryInput, ZDeleteAliasInput, ZSetAliasInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { redeployFollowers } from "../serving/deploy";
import { mutate } from "../services/audit";
import { recordAliasMove } from "./alias-events";
import type { RegisteredModelRow } from "./lookup";
import { actingUserId, modelByName, versionRow } from "./lookup";
import { getModelVersion } from "./versions";

/** The alias's current version number, or null; read under the model lock the caller holds. */
async function currentTarget(ctx: OrgContext, model: RegisteredModelRow, alias: string): Promise<{ id: string; version: number } | null> {
  const [row] = await ctx.db
    .select({ id: modelAliases.id, version: modelVersions.version })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, alias)));
  return row ?? null;
}

/**
 * Points `alias` at a version (moving it if it pointed elsewhere) and records the move: from,
 * to, who, why. Setting it to the version it already names changes nothing and records nothing.
 * Endpoints that follow the alias are redeployed on the new version in the same transaction.
 */
export async function setAlias(ctx: OrgContext, raw: SetAliasInput): Promise<ModelVersion> {
  const input = parseInput(ZSetAliasInput, raw);
  await mutate(
    ctx,
    (r: { versionId: string; from: number | null }) => ({
      action: "model.alias.set",
      targetType: "model_version",
      targetId: r.versionId,
      data: { name: input.name, alias: input.alias, from: r.from, to: input.version, reason: input.reason ?? null },
    }),
    async (tx) => {
      const c = { ...ctx, db: tx };
      // The model row lock serialises alias moves of one model: each history row's `from` is true.
      const model = await modelByName(c, input.name, { forUpdate: true });
      const version = await versionRow(c, model, input.version);
      const current = await currentTarget(c, model, input.alias);
      if (current?.version === input.version) return { versionId: version.id, from: current.version };
      await tx
        .insert(modelAliases)
        .values({ orgId: ctx.orgId, modelId: model.id, alias: input.alias, versionId: version.id, updatedBy: actingUserId(ctx) })
        .onConflictDoUpdate({ target: [modelAliases.modelId, modelAliases.alias], set: { versionId: version.id, updatedBy: actingUserId(ctx), updatedAt: sql`now()` } });
      await recordAliasMove(c, { model, alias: input.alias, fromVersion: current?.version ?? null, toVersion: input.version, reason: input.reason });
      await redeployFollowers(c, { model, alias: input.alias, from: current?.version ?? null, to: version });
      return { versionId: version.id, from: current?.version ?? null };
    },
  );
  return getModelVersion(ctx, input.name, input.version);
}

/** Removes an alias (NOT_FOUND when the model has no such alias), recording the removal. */
export async function deleteAlias(ctx: OrgContext, raw: DeleteAliasInput): Promise<void> {
  const input = parseInput(ZDeleteAliasInput, raw);
  await mutate(
    ctx,
    (r: { modelId: string; from: number }) => ({
      action: "model.alias.delete",
      targetType: "registered_model",
      targetId: r.modelId,
      data: { name: input.name, alias: input.alias, from: r.from, reason: input.reason ?? null },
    }),
    async (tx) => {
      const c = { ...ctx, db: tx };
      const model = await modelByName(c, input.name, { forUpdate: true });
      const current = await currentTarget(c, model, input.alias);
      if (!current) throw new GantryError("NOT_FOUND", `Model '${model.name}' has no alias '${input.alias}'`, { field: "alias" });
      await tx.delete(modelAliases).where(eq(modelAliases.id, current.id));
      await recordAliasMove(c, { model, alias: input.alias, fromVersion: current.version, toVersion: null, reason: input.reason });
      return { modelId: model.id, from: current.version };
    },
  );
}

/** Every move of the model's aliases (or of one), newest first. */
export async function aliasHistory(ctx: OrgContext, raw: { name: string; alias?: string }): Promise<AliasEvent[]> {
  const input = parseInput(ZAliasHistoryInput, raw);
  const model = await modelByName(ctx, input.name);
  const rows = await ctx.db
    .select()
    .from(modelAliasEvents)
    .where(and(eq(modelAliasEvents.modelId, model.id), input.alias ? eq(modelAliasEvents.alias, input.alias) : undefined))
    .orderBy(desc(modelAliasEvents.id));
  return rows.map((r) => ({ id: r.id, alias: r.alias, fromVersion: r.fromVersion, toVersion: r.toVersion, actorLabel: r.actorLabel, reason: r.reason, createdAt: r.createdAt }));
}
