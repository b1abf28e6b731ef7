import { and, desc, eq, inArray, ne, sql } from "@gantry/db";
import type { ModelVersion } from "@gantry/schema";
import { GantryError, modelVersions } from "@gantry/schema";

import type { OrgContext } from "../context";
import { mutate } from "../services/audit";
import { aliasesByVersion, modelByName, toModelVersion, versionRow } from "./lookup";
import { getModelVersion } from "./versions";

/*
 * MLflow's stages, deprecated for aliases, kept for old clients as the version tag `mlflow.stage`
 * (no tag = "None"). Nothing else in Gantry reads them.
 */

export const STAGE_TAG = "mlflow.stage";
export const modelStages = ["None", "Staging", "Production", "Archived"] as const;
export type ModelStage = (typeof modelStages)[number];

/** MLflow accepts any case ("production"); INVALID_INPUT naming `stage` otherwise. */
export function canonicalStage(raw: string): ModelStage {
  const stage = modelStages.find((s) => s.toLowerCase() === raw.trim().toLowerCase());
  if (!stage) throw new GantryError("INVALID_INPUT", `Invalid model version stage '${raw}': use one of ${modelStages.join(", ")}`, { field: "stage" });
  return stage;
}

export const stageOf = (tags: Record<string, string>): string => tags[STAGE_TAG] ?? "None";

// The key inlined (a constant): DISTINCT ON must repeat the ORDER BY expression exactly, parameters included.
const stageSql = sql<string>`coalesce(${modelVersions.tags}->>${sql.raw(`'${STAGE_TAG}'`)}, 'None')`;

/**
 * Moves a version to a stage. With `archiveExisting` (only for Staging and Production, as MLflow),
 * the model's other versions in that stage move to Archived in the same transaction.
 */
export async function transitionVersionStage(ctx: OrgContext, input: { name: string; version: number; stage: string; archiveExisting?: boolean }): Promise<ModelVersion> {
  const stage = canonicalStage(input.stage);
  if (input.archiveExisting && stage !== "Staging" && stage !== "Production") {
    throw new GantryError("INVALID_INPUT", `archive_existing_versions needs the stage Staging or Production, not ${stage}`, { field: "archive_existing_versions" });
  }
  await mutate(
    ctx,
    (r: { id: string; from: string; archived: number[] }) => ({
      action: "model.version.transition_stage",
      targetType: "model_version",
      targetId: r.id,
      data: { name: input.name, version: input.version, from: r.from, to: stage, archived: r.archived },
    }),
    async (tx) => {
      const c = { ...ctx, db: tx };
      // The model row lock serialises transitions of one model, so two versions never both win.
      const model = await modelByName(c, input.name, { forUpdate: true });
      const row = await versionRow(c, model, input.version, { forUpdate: true });
      const { [STAGE_TAG]: from = "None", ...rest } = row.tags;
      await tx
        .update(modelVersions)
        .set({ tags: stage === "None" ? rest : { ...rest, [STAGE_TAG]: stage } })
        .where(eq(modelVersions.id, row.id));
      const archived = input.archiveExisting
        ? await tx
            .update(modelVersions)
            .set({ tags: sql`${modelVersions.tags} || jsonb_build_object(${STAGE_TAG}::text, 'Archived'::text)` })
            .where(and(eq(modelVersions.modelId, model.id), ne(modelVersions.id, row.id), sql`${modelVersions.tags}->>${STAGE_TAG} = ${stage}`))
            .returning({ version: modelVersions.version })
        : [];
      return { id: row.id, from, archived: archived.map((a) => a.version).sort((x, y) => x - y) };
    },
  );
  return getModelVersion(ctx, input.name, input.version);
}

/** Per model id, its newest version in each stage (or in the stages asked for), by version number. */
export async function latestVersionsByStage(ctx: OrgContext, models: { id: string; name: string }[], stages?: ModelStage[]): Promise<Map<string, ModelVersion[]>> {
  const out = new Map<string, ModelVersion[]>(models.map((m) => [m.id, []]));
  if (!models.length || stages?.length === 0) return out;
  const rows = await ctx.db
    .selectDistinctOn([modelVersions.modelId, stageSql])
    .from(modelVersions)
    .where(
      and(
        eq(modelVersions.orgId, ctx.orgId),
        inArray(
          modelVersions.modelId,
          models.map((m) => m.id),
        ),
        stages ? inArray(stageSql, stages) : undefined,
      ),
    )
    .orderBy(modelVersions.modelId, stageSql, desc(modelVersions.version));
  const aliases = await aliasesByVersion(
    ctx,
    rows.map((r) => r.id),
  );
  const names = new Map(models.map((m) => [m.id, m.name]));
  for (const r of rows.sort((x, y) => x.version - y.version)) out.get(r.modelId)?.push(toModelVersion(r, names.get(r.modelId) ?? "", aliases.get(r.id) ?? []));
  return out;
}
