import type { Executor } from "@gantry/db";
import { and, asc, eq, inArray } from "@gantry/db";
import { GantryError, latestMetrics, runInputs, runParams, runs, runTags, ZCreateRunInput, ZTrackingKey, ZUpdateRunInput } from "@gantry/schema";
import type { CreateRunInput, Run, RunInfo, UpdateRunInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { mutate } from "../services/audit";
import { experimentRow } from "./experiments";
import { isUuid } from "./ids";

type RunRow = typeof runs.$inferSelect;

/** Runs' artifacts go through our own proxy, so every byte passes our auth. */
export const runArtifactUri = (experimentId: string, runId: string) => `mlflow-artifacts:/${experimentId}/${runId}/artifacts`;

const toInfo = (r: RunRow): RunInfo => ({
  id: r.id,
  name: r.name,
  experimentId: r.experimentId,
  userId: r.userId,
  status: r.status,
  startTime: r.startTime,
  endTime: r.endTime,
  artifactUri: runArtifactUri(r.experimentId, r.id),
  lifecycleStage: r.lifecycleStage,
  parentRunId: r.parentRunId,
  source: r.source,
});

const notFound = (id: string) => new GantryError("NOT_FOUND", `Run '${id}' not found`, { field: "run_id" });

export async function runRow(ctx: OrgContext, id: string, options: { forUpdate?: boolean; lock?: "share" } = {}): Promise<RunRow> {
  if (!isUuid(id)) throw notFound(id);
  const query = ctx.db.select().from(runs).where(and(eq(runs.id, id), eq(runs.orgId, ctx.orgId)));
  const [row] = options.forUpdate ? await query.for("update") : options.lock ? await query.for("share") : await query;
  if (!row) throw notFound(id);
  return row;
}

/** Writes go to active runs only (MLflow rejects writes to deleted runs). */
export async function activeRunRow(ctx: OrgContext, id: string, options: { lock?: "share" } = {}): Promise<RunRow> {
  const row = await runRow(ctx, id, { lock: options.lock });
  if (row.lifecycleStage !== "active") throw new GantryError("INVALID_INPUT", `The run ${id} must be in the 'active' state; it is deleted`, { field: "run_id" });
  return row;
}

const adjectives = ["amber", "brisk", "calm", "deft", "eager", "fleet", "gentle", "hardy", "keen", "lucid", "merry", "nimble", "placid", "quiet", "rapid", "sunny", "tidy", "vivid", "witty", "zesty"];
const nouns = ["otter", "heron", "lynx", "finch", "bison", "crane", "gecko", "ibis", "koala", "lemur", "marten", "newt", "oriole", "puffin", "quail", "raven", "stoat", "tapir", "vole", "wren"];
const pick = (list: string[]) => list[Math.floor(Math.random() * list.length)] ?? list[0];
const randomRunName = () => `${pick(adjectives)}-${pick(nouns)}-${Math.floor(Math.random() * 1000)}`;

export async function createRun(ctx: OrgContext, raw: CreateRunInput): Promise<Run> {
  const input = parseInput(ZCreateRunInput, raw);
  const experiment = await experimentRow(ctx, input.experimentId);
  if (experiment.lifecycleStage !== "active") throw new GantryError("INVALID_INPUT", `Experiment ${input.experimentId} is deleted; restore it to create runs`, { field: "experiment_id" });
  if (input.parentRunId) await runRow(ctx, input.parentRunId);
  const tagMap = new Map(input.tags.map((t) => [t.key, t.value]));
  const name = input.name || tagMap.get("mlflow.runName") || randomRunName();
  tagMap.set("mlflow.runName", name);
  const userId = input.userId ?? tagMap.get("mlflow.user") ?? ctx.actor.label;
  const row = await mutate(
    ctx,
    (r: RunRow) => ({ action: "run.create", targetType: "run", targetId: r.id, data: { experimentId: r.experimentId, name: r.name } }),
    async (tx) => {
      const [r] = await tx
        .insert(runs)
        .values({
          orgId: ctx.orgId,
          experimentId: experiment.id,
          name,
          startTime: input.startTime ?? Date.now(),
          userId,
          authorId: ctx.actor.type === "system" ? (ctx.actor.onBehalfOf ?? null) : ctx.actor.userId,
          source: input.source ?? null,
          parentRunId: input.parentRunId ?? tagMap.get("mlflow.parentRunId") ?? null,
        })
        .returning();
      if (!r) throw new GantryError("INTERNAL", "Run not created");
      await tx.insert(runTags).values([...tagMap].map(([key, value]) => ({ orgId: ctx.orgId, runId: r.id, key, value })));
      return r;
    },
  );
  const [run] = await hydrateRuns(ctx.db, [row]);
  if (!run) throw notFound(row.id);
  return run;
}

export async function hydrateRuns(db: Executor, rows: RunRow[]): Promise<Run[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [metricRows, paramRows, tagRows, inputRows] = await Promise.all([
    db.select().from(latestMetrics).where(inArray(latestMetrics.runId, ids)).orderBy(asc(latestMetrics.key)),
    db.select().from(runParams).where(inArray(runParams.runId, ids)).orderBy(asc(runParams.key)),
    db.select().from(runTags).where(inArray(runTags.runId, ids)).orderBy(asc(runTags.key)),
    db.select().from(runInputs).where(inArray(runInputs.runId, ids)).orderBy(asc(runInputs.createdAt)),
  ]);
  const group = <T extends { runId: string }>(items: T[]) => {
    const map = new Map<string, T[]>();
    for (const item of items) map.set(item.runId, [...(map.get(item.runId) ?? []), item]);
    return map;
  };
  const [m, p, t, i] = [group(metricRows), group(paramRows), group(tagRows), group(inputRows)];
  return rows.map((r) => ({
    info: toInfo(r),
    data: {
      metrics: (m.get(r.id) ?? []).map(({ key, value, timestamp, step }) => ({ key, value, timestamp, step })),
      params: (p.get(r.id) ?? []).map(({ key, value }) => ({ key, value })),
      tags: (t.get(r.id) ?? []).map(({ key, value }) => ({ key, value })),
    },
    inputs: {
      datasetInputs: (i.get(r.id) ?? []).map((d) => ({
        tags: d.tags,
        dataset: { name: d.name, digest: d.digest, sourceType: d.sourceType, source: d.source, schema: d.schema, profile: d.profile },
      })),
    },
  }));
}

export async function getRun(ctx: OrgContext, id: string): Promise<Run> {
  const [run] = await hydrateRuns(ctx.db, [await runRow(ctx, id)]);
  if (!run) throw notFound(id);
  return run;
}

/** Runs by id, in the given order, org-scoped (ids of other orgs simply do not come back). */
export async function getRunsByIds(ctx: OrgContext, ids: string[]): Promise<Run[]> {
  const valid = ids.filter(isUuid);
  if (!valid.length) return [];
  const rows = await ctx.db.select().from(runs).where(and(eq(runs.orgId, ctx.orgId), inArray(runs.id, valid)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return hydrateRuns(ctx.db, valid.map((id) => byId.get(id)).filter((r): r is RunRow => Boolean(r)));
}

export async function updateRun(ctx: OrgContext, id: string, raw: UpdateRunInput): Promise<RunInfo> {
  const input = parseInput(ZUpdateRunInput, raw);
  const row = await mutate(ctx, { action: "run.update", targetType: "run", targetId: id, data: { status: input.status, name: input.name } }, async (tx) => {
    const current = await runRow({ ...ctx, db: tx }, id, { forUpdate: true });
    if (current.lifecycleStage !== "active") throw new GantryError("INVALID_INPUT", `The run ${id} must be in the 'active' state; it is deleted`, { field: "run_id" });
    const terminal = input.status && input.status !== "RUNNING" && input.status !== "SCHEDULED";
    const [updated] = await tx
      .update(runs)
      .set({
        ...(input.status ? { status: input.status } : {}),
        ...(input.endTime !== undefined ? { endTime: input.endTime } : terminal && current.endTime === null ? { endTime: Date.now() } : {}),
        ...(input.name ? { name: input.name } : {}),
      })
      .where(eq(runs.id, id))
      .returning();
    if (input.name) {
      await tx
        .insert(runTags)
        .values({ orgId: ctx.orgId, runId: id, key: "mlflow.runName", value: input.name })
        .onConflictDoUpdate({ target: [runTags.runId, runTags.key], set: { value: input.name } });
    }
    return updated ?? current;
  });
  return toInfo(row);
}

export async function setRunLifecycle(ctx: OrgContext, id: string, stage: "active" | "deleted"): Promise<void> {
  await mutate(ctx, { action: stage === "deleted" ? "run.delete" : "run.restore", targetType: "run", targetId: id }, async (tx) => {
    await runRow({ ...ctx, db: tx }, id, { forUpdate: true });
    await tx
      .update(runs)
      .set({ lifecycleStage: stage, deletedTime: stage === "deleted" ? Date.now() : null })
      .where(eq(runs.id, id));
  });
}

export async function deleteRunTag(ctx: OrgContext, id: string, rawKey: string): Promise<void> {
  const key = parseInput(ZTrackingKey, rawKey);
  const row = await activeRunRow(ctx, id);
  const deleted = await ctx.db.delete(runTags).where(and(eq(runTags.runId, row.id), eq(runTags.key, key))).returning({ key: runTags.key });
  if (!deleted.length) throw new GantryError("NOT_FOUND", `No tag '${key}' on run ${id}`, { field: "key" });
}
