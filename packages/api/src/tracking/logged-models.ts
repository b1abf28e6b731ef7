import { and, desc, eq, inArray, lt, or, sql } from "@gantry/db";
import { GantryError, loggedModels, loggedModelStatuses, ZTagInput, ZTrackingKey } from "@gantry/schema";
import { z } from "zod";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { mutate } from "../services/audit";
import { experimentRow, resolveExperimentIds } from "./experiments";
import { isUuid } from "./ids";
import { decodeToken, encodeToken } from "./page-token";
import { runRow } from "./runs";

type LoggedModelRow = typeof loggedModels.$inferSelect;
export type LoggedModel = LoggedModelRow & { artifactUri: string };

const ZPairs = z.array(ZTagInput).max(100).default([]);
export const ZCreateLoggedModelInput = z.object({
  experimentId: z.string().min(1, { error: "experiment_id is required" }),
  name: z.string().max(500).optional(),
  modelType: z.string().max(100).optional(),
  sourceRunId: z.string().optional(),
  params: ZPairs,
  tags: ZPairs,
});

const notFound = (id: string) => new GantryError("NOT_FOUND", `Logged model '${id}' not found`, { field: "model_id" });
const withUri = (r: LoggedModelRow): LoggedModel => ({ ...r, artifactUri: `mlflow-artifacts:/${r.experimentId}/models/${r.id}/artifacts` });

export async function loggedModelRow(ctx: OrgContext, id: string): Promise<LoggedModelRow> {
  if (!isUuid(id)) throw notFound(id);
  const [row] = await ctx.db.select().from(loggedModels).where(and(eq(loggedModels.id, id), eq(loggedModels.orgId, ctx.orgId)));
  if (!row) throw notFound(id);
  return row;
}

export const getLoggedModel = async (ctx: OrgContext, id: string) => withUri(await loggedModelRow(ctx, id));

export async function createLoggedModel(ctx: OrgContext, raw: z.input<typeof ZCreateLoggedModelInput>): Promise<LoggedModel> {
  const input = parseInput(ZCreateLoggedModelInput, raw);
  const experiment = await experimentRow(ctx, input.experimentId);
  const sourceRun = input.sourceRunId ? await runRow(ctx, input.sourceRunId) : null;
  const now = Date.now();
  const row = await mutate(
    ctx,
    (r: LoggedModelRow) => ({ action: "logged_model.create", targetType: "logged_model", targetId: r.id, data: { name: r.name } }),
    async (tx) => {
      const [r] = await tx
        .insert(loggedModels)
        .values({
          orgId: ctx.orgId,
          experimentId: experiment.id,
          name: input.name || `model-${now.toString(36)}`,
          modelType: input.modelType ?? null,
          sourceRunId: sourceRun?.id ?? null,
          params: Object.fromEntries(input.params.map((p) => [p.key, p.value])),
          tags: Object.fromEntries(input.tags.map((t) => [t.key, t.value])),
          creationTime: now,
          lastUpdateTime: now,
        })
        .returning();
      if (!r) throw new GantryError("INTERNAL", "Logged model not created");
      return r;
    },
  );
  return withUri(row);
}

const ZStatus = z.enum(loggedModelStatuses, { error: `status must be one of ${loggedModelStatuses.join(", ")}` });

/** PATCH: finalize (status), and set tags or params (params are write-once, as on runs). */
export async function updateLoggedModel(ctx: OrgContext, id: string, change: { status?: string; tags?: { key: string; value: string }[]; params?: { key: string; value: string }[] }): Promise<LoggedModel> {
  const status = change.status === undefined ? undefined : parseInput(ZStatus, change.status);
  const tags = parseInput(ZPairs, change.tags ?? []);
  const params = parseInput(ZPairs, change.params ?? []);
  const row = await mutate(ctx, { action: "logged_model.update", targetType: "logged_model", targetId: id, data: { status } }, async (tx) => {
    const current = await loggedModelRow({ ...ctx, db: tx }, id);
    for (const p of params) {
      const existing = current.params[p.key];
      if (existing !== undefined && existing !== p.value) throw new GantryError("INVALID_INPUT", `Param '${p.key}' of logged model ${id} is already '${existing}'`, { field: "params" });
    }
    const [r] = await tx
      .update(loggedModels)
      .set({
        ...(status ? { status } : {}),
        tags: { ...current.tags, ...Object.fromEntries(tags.map((t) => [t.key, t.value])) },
        params: { ...current.params, ...Object.fromEntries(params.map((p) => [p.key, p.value])) },
        lastUpdateTime: Date.now(),
      })
      .where(eq(loggedModels.id, current.id))
      .returning();
    return r ?? current;
  });
  return withUri(row);
}

export async function deleteLoggedModelTag(ctx: OrgContext, id: string, rawKey: string): Promise<void> {
  const key = parseInput(ZTrackingKey, rawKey);
  await mutate(ctx, { action: "logged_model.delete_tag", targetType: "logged_model", targetId: id, data: { key } }, async (tx) => {
    const current = await loggedModelRow({ ...ctx, db: tx }, id);
    if (!(key in current.tags)) throw new GantryError("NOT_FOUND", `No tag '${key}' on logged model ${id}`, { field: "key" });
    const { [key]: _removed, ...rest } = current.tags;
    await tx.update(loggedModels).set({ tags: rest, lastUpdateTime: Date.now() }).where(eq(loggedModels.id, current.id));
  });
}

export async function deleteLoggedModel(ctx: OrgContext, id: string): Promise<void> {
  await mutate(ctx, { action: "logged_model.delete", targetType: "logged_model", targetId: id }, async (tx) => {
    const current = await loggedModelRow({ ...ctx, db: tx }, id);
    await tx.delete(loggedModels).where(eq(loggedModels.id, current.id));
  });
}

/** logged-models/search: newest first, keyset pages (at most 50 a page, as MLflow). */
export async function searchLoggedModels(ctx: OrgContext, input: { experimentIds: string[]; maxResults?: number; pageToken?: string }): Promise<{ models: LoggedModel[]; nextPageToken: string | null }> {
  const max = input.maxResults ?? 50;
  if (!Number.isInteger(max) || max < 1 || max > 50) throw new GantryError("INVALID_INPUT", "max_results must be between 1 and 50", { field: "max_results" });
  const experimentIds = (await resolveExperimentIds(ctx, input.experimentIds)).filter(isUuid);
  const cursor = input.pageToken ? (decodeToken(input.pageToken) as { t?: unknown; id?: unknown }) : null;
  if (cursor && (typeof cursor.t !== "number" || typeof cursor.id !== "string" || !isUuid(cursor.id))) throw new GantryError("INVALID_INPUT", "Invalid page_token", { field: "page_token" });
  const rows = await ctx.db
    .select()
    .from(loggedModels)
    .where(
      and(
        eq(loggedModels.orgId, ctx.orgId),
        experimentIds.length ? inArray(loggedModels.experimentId, experimentIds) : sql`false`,
        cursor ? or(lt(loggedModels.creationTime, cursor.t as number), and(eq(loggedModels.creationTime, cursor.t as number), lt(loggedModels.id, cursor.id as string))) : undefined,
      ),
    )
    .orderBy(desc(loggedModels.creationTime), desc(loggedModels.id))
    .limit(max + 1);
  const page = rows.slice(0, max);
  const last = page.at(-1);
  return { models: page.map(withUri), nextPageToken: rows.length > max && last ? encodeToken({ t: last.creationTime, id: last.id }) : null };
}
