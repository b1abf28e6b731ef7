import type { Executor } from "@gantry/db";
import { and, eq, inArray, sql } from "@gantry/db";
import { experiments, experimentTags, GantryError, ZCreateExperimentInput, ZExperimentName, ZTagInput, ZTrackingKey } from "@gantry/schema";
import type { CreateExperimentInput, Experiment, ViewType } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { mutate } from "../services/audit";
import { isUuid } from "./ids";

export const DEFAULT_EXPERIMENT_NAME = "Default";

type ExperimentRow = typeof experiments.$inferSelect;

async function withTags(db: Executor, rows: ExperimentRow[]): Promise<Experiment[]> {
  if (rows.length === 0) return [];
  const tags = await db.select().from(experimentTags).where(inArray(experimentTags.experimentId, rows.map((r) => r.id)));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    artifactLocation: r.artifactLocation,
    lifecycleStage: r.lifecycleStage,
    creationTime: r.creationTime,
    lastUpdateTime: r.lastUpdateTime,
    tags: tags.filter((t) => t.experimentId === r.id).map((t) => ({ key: t.key, value: t.value })),
  }));
}

const notFound = (id: string) => new GantryError("NOT_FOUND", `No experiment with id ${id}`, { field: "experiment_id" });

/** The org's experiment row; MLflow's id "0" is the org's Default experiment (created on first use). */
export async function experimentRow(ctx: OrgContext, id: string, options: { forUpdate?: boolean } = {}): Promise<ExperimentRow> {
  if (id === "0") return defaultExperiment(ctx);
  if (!isUuid(id)) throw notFound(id);
  const query = ctx.db.select().from(experiments).where(and(eq(experiments.id, id), eq(experiments.orgId, ctx.orgId)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound(id);
  return row;
}

async function defaultExperiment(ctx: OrgContext): Promise<ExperimentRow> {
  const now = Date.now();
  const [created] = await ctx.db
    .insert(experiments)
    .values({ orgId: ctx.orgId, name: DEFAULT_EXPERIMENT_NAME, artifactLocation: "", creationTime: now, lastUpdateTime: now })
    .onConflictDoNothing({ target: [experiments.orgId, experiments.name] })
    .returning();
  if (created) {
    const [row] = await ctx.db.update(experiments).set({ artifactLocation: `mlflow-artifacts:/${created.id}` }).where(eq(experiments.id, created.id)).returning();
    if (row) return row;
  }
  const [row] = await ctx.db.select().from(experiments).where(and(eq(experiments.orgId, ctx.orgId), eq(experiments.name, DEFAULT_EXPERIMENT_NAME)));
  if (!row) throw notFound("0");
  return row;
}

/** Experiment ids as given, with MLflow's "0" replaced by the org's Default experiment's id. */
export const resolveExperimentIds = (ctx: OrgContext, ids: readonly string[]): Promise<string[]> =>
  Promise.all(ids.map(async (id) => (id === "0" ? (await defaultExperiment(ctx)).id : id)));

export async function getExperiment(ctx: OrgContext, id: string): Promise<Experiment> {
  const [experiment] = await withTags(ctx.db, [await experimentRow(ctx, id)]);
  if (!experiment) throw notFound(id);
  return experiment;
}

/** By name, active first (MLflow's get-by-name). */
export async function getExperimentByName(ctx: OrgContext, name: string): Promise<Experiment> {
  const [row] = await ctx.db
    .select()
    .from(experiments)
    .where(and(eq(experiments.orgId, ctx.orgId), eq(experiments.name, name)))
    .orderBy(sql`${experiments.lifecycleStage} = 'active' desc`)
    .limit(1);
  if (!row) throw new GantryError("NOT_FOUND", `No experiment named '${name}'`, { field: "experiment_name" });
  const [experiment] = await withTags(ctx.db, [row]);
  if (!experiment) throw new GantryError("NOT_FOUND", `No experiment named '${name}'`);
  return experiment;
}

export async function createExperiment(ctx: OrgContext, raw: CreateExperimentInput): Promise<Experiment> {
  const input = parseInput(ZCreateExperimentInput, raw);
  const now = Date.now();
  const row = await mutate(
    ctx,
    (r: ExperimentRow) => ({ action: "experiment.create", targetType: "experiment", targetId: r.id, data: { name: r.name } }),
    async (tx) => {
      const [created] = await tx
        .insert(experiments)
        .values({ orgId: ctx.orgId, name: input.name, description: input.description ?? null, artifactLocation: "", creationTime: now, lastUpdateTime: now })
        .onConflictDoNothing({ target: [experiments.orgId, experiments.name] })
        .returning();
      if (!created) throw new GantryError("CONFLICT", `Experiment '${input.name}' already exists`, { field: "name" });
      // Artifacts always go through our own proxy (and auth): mlflow-artifacts:/<experiment id>.
      const [r] = await tx.update(experiments).set({ artifactLocation: `mlflow-artifacts:/${created.id}` }).where(eq(experiments.id, created.id)).returning();
      if (input.tags.length) await tx.insert(experimentTags).values(input.tags.map((t) => ({ orgId: ctx.orgId, experimentId: created.id, key: t.key, value: t.value })));
      return r ?? created;
    },
  );
  return getExperiment(ctx, row.id);
}

async function touch(tx: Executor, id: string, set: Partial<ExperimentRow> = {}) {
  await tx.update(experiments).set({ ...set, lastUpdateTime: Date.now() }).where(eq(experiments.id, id));
}

export async function renameExperiment(ctx: OrgContext, id: string, newName: string): Promise<void> {
  const name = parseInput(ZExperimentName, newName);
  await mutate(ctx, { action: "experiment.rename", targetType: "experiment", targetId: id, data: { name } }, async (tx) => {
    const row = await experimentRow({ ...ctx, db: tx }, id, { forUpdate: true });
    if (row.lifecycleStage !== "active") throw new GantryError("INVALID_INPUT", "Cannot rename a deleted experiment", { field: "experiment_id" });
    const [clash] = await tx.select({ id: experiments.id }).from(experiments).where(and(eq(experiments.orgId, ctx.orgId), eq(experiments.name, name)));
    if (clash && clash.id !== row.id) throw new GantryError("CONFLICT", `Experiment '${name}' already exists`, { field: "new_name" });
    await touch(tx, row.id, { name });
  });
}

export async function setExperimentDescription(ctx: OrgContext, id: string, description: string | null): Promise<void> {
  await mutate(ctx, { action: "experiment.update", targetType: "experiment", targetId: id }, async (tx) => {
    const row = await experimentRow({ ...ctx, db: tx }, id, { forUpdate: true });
    await touch(tx, row.id, { description });
  });
}

/** Deleting or restoring an experiment does the same to its runs that were in the same stage. */
export async function setExperimentLifecycle(ctx: OrgContext, id: string, stage: "active" | "deleted"): Promise<void> {
  await mutate(ctx, { action: stage === "deleted" ? "experiment.delete" : "experiment.restore", targetType: "experiment", targetId: id }, async (tx) => {
    const row = await experimentRow({ ...ctx, db: tx }, id, { forUpdate: true });
    if (row.lifecycleStage === stage) {
      throw new GantryError("INVALID_INPUT", `Experiment ${id} is already ${stage === "deleted" ? "deleted" : "active"}`, { field: "experiment_id" });
    }
    await touch(tx, row.id, { lifecycleStage: stage });
    await tx.execute(sql`update runs set lifecycle_stage = ${stage}, deleted_time = ${stage === "deleted" ? Date.now() : null}
      where experiment_id = ${row.id} and org_id = ${ctx.orgId} and lifecycle_stage <> ${stage}`);
  });
}

export async function setExperimentTag(ctx: OrgContext, id: string, raw: { key: string; value: string }): Promise<void> {
  const tag = parseInput(ZTagInput, raw);
  await mutate(ctx, { action: "experiment.set_tag", targetType: "experiment", targetId: id, data: { key: tag.key } }, async (tx) => {
    const row = await experimentRow({ ...ctx, db: tx }, id, { forUpdate: true });
    if (row.lifecycleStage !== "active") throw new GantryError("INVALID_INPUT", "Cannot set a tag on a deleted experiment", { field: "experiment_id" });
    await tx
      .insert(experimentTags)
      .values({ orgId: ctx.orgId, experimentId: row.id, key: tag.key, value: tag.value })
      .onConflictDoUpdate({ target: [experimentTags.experimentId, experimentTags.key], set: { value: tag.value } });
    await touch(tx, row.id);
  });
}

export async function deleteExperimentTag(ctx: OrgContext, id: string, rawKey: string): Promise<void> {
  const key = parseInput(ZTrackingKey, rawKey);
  await mutate(ctx, { action: "experiment.delete_tag", targetType: "experiment", targetId: id, data: { key } }, async (tx) => {
    const row = await experimentRow({ ...ctx, db: tx }, id, { forUpdate: true });
    const deleted = await tx.delete(experimentTags).where(and(eq(experimentTags.experimentId, row.id), eq(experimentTags.key, key))).returning({ key: experimentTags.key });
    if (!deleted.length) throw new GantryError("NOT_FOUND", `No tag '${key}' on experiment ${id}`, { field: "key" });
    await touch(tx, row.id);
  });
}

export const viewTypeStages = (viewType: ViewType): ("active" | "deleted")[] =>
  viewType === "ACTIVE_ONLY" ? ["active"] : viewType === "DELETED_ONLY" ? ["deleted"] : ["active", "deleted"];

export { withTags as hydrateExperiments };
