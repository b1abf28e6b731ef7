import { buffer } from "node:stream/consumers";

import { and, asc, desc, eq, isNotNull } from "@gantry/db";
import type { ModelSignature, ModelVersion, RegisterVersionInput, UpdateModelVersionInput } from "@gantry/schema";
import {
  artifacts,
  GantryError,
  latestMetrics,
  modelVersions,
  runInputs,
  ZModelSignature,
  ZModelTag,
  ZRegisterVersionInput,
  ZUpdateModelVersionInput,
  ZVersionNumber,
} from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { assertNotServed } from "../serving/served";
import { mutate } from "../services/audit";
import { runRow } from "../tracking/runs";
import type { ModelVersionRow } from "./lookup";
import { aliasesByVersion, hydrateVersions, modelByName, toModelVersion, versionRow } from "./lookup";
import { recordAliasMove } from "./alias-events";
import { insertNextVersion } from "./next-version";

export const PIPELINE_PATH = "model/pipeline.json";
export const SIGNATURE_PATH = "model/signature.json";


/** The signature artifact of a run, parsed; null when the run has none (a version may lack one). */
async function readSignature(ctx: OrgContext, store: ArtifactStore | undefined, runId: string): Promise<ModelSignature | null> {
  const [row] = await ctx.db
    .select({ sha256: artifacts.sha256 })
    .from(artifacts)
    .where(and(eq(artifacts.runId, runId), eq(artifacts.path, SIGNATURE_PATH)));
  if (!row) return null;
  if (!store) throw new GantryError("INTERNAL", "This server has no artifact store configured for the API");
  let parsed: unknown;
  try {
    parsed = JSON.parse((await buffer(await store.get(row.sha256))).toString("utf8"));
  } catch (error) {
    throw new GantryError("INVALID_INPUT", `run ${runId} has an unreadable ${SIGNATURE_PATH}: ${error instanceof Error ? error.message : String(error)}`, { field: "runId" });
  }
  const result = ZModelSignature.safeParse(parsed);
  if (!result.success) throw new GantryError("INVALID_INPUT", `run ${runId} has a ${SIGNATURE_PATH} that is not a signature ({inputs: [{name, type}]})`, { field: "runId" });
  return result.data;
}

/**
 * Registers the run's model as the next version of `name` (the model is created when missing).
 * The run must be the org's, FINISHED, and have `model/pipeline.json`; the version keeps that
 * file's sha256, the signature, the run's latest metrics and its dataset version (numbered by
 * `insertNextVersion`). The store is needed only to read the signature, after the run has been
 * checked (a server without one answers INTERNAL then).
 */
export async function registerVersionFromRun(ctx: OrgContext, store: ArtifactStore | undefined, raw: RegisterVersionInput): Promise<ModelVersion> {
  const input = parseInput(ZRegisterVersionInput, raw);
  const run = await runRow(ctx, input.runId).catch((error: unknown) => {
    if (error instanceof GantryError && error.code === "NOT_FOUND") throw new GantryError("NOT_FOUND", `No run ${input.runId}`, { field: "runId" });
    throw error;
  });
  if (run.lifecycleStage !== "active") throw new GantryError("INVALID_INPUT", `run ${run.id} is deleted`, { field: "runId" });
  if (run.status !== "FINISHED") throw new GantryError("INVALID_INPUT", `run ${run.id} is ${run.status}: only a FINISHED run can be registered`, { field: "runId" });
  const [pipeline] = await ctx.db
    .select({ sha256: artifacts.sha256, size: artifacts.size })
    .from(artifacts)
    .where(and(eq(artifacts.runId, run.id), eq(artifacts.path, PIPELINE_PATH)));
  if (!pipeline) throw new GantryError("INVALID_INPUT", `run ${run.id} has no model artifact (${PIPELINE_PATH})`, { field: "runId" });
  const signature = await readSignature(ctx, store, run.id);
  const metricRows = await ctx.db.select({ key: latestMetrics.key, value: latestMetrics.value }).from(latestMetrics).where(eq(latestMetrics.runId, run.id));
  const [datasetInput] = await ctx.db
    .select({ id: runInputs.datasetVersionId })
    .from(runInputs)
    .where(and(eq(runInputs.runId, run.id), isNotNull(runInputs.datasetVersionId)))
    .orderBy(asc(runInputs.createdAt))
    .limit(1);

  const { row, model } = await insertNextVersion(ctx, {
    name: input.name,
    sourceRunId: run.id,
    datasetVersionId: datasetInput?.id ?? null,
    pipeline,
    signature,
    // NaN and ±Infinity cannot go through JSON: the run keeps them, the snapshot does not.
    metrics: Object.fromEntries(metricRows.filter((m) => Number.isFinite(m.value)).map((m) => [m.key, m.value])),
    description: input.description ?? null,
    audit: { runId: run.id },
  });
  return toModelVersion(row, model.name, []);
}

export async function getModelVersion(ctx: OrgContext, name: string, rawVersion: number): Promise<ModelVersion> {
  const version = parseInput(ZVersionNumber, rawVersion);
  const model = await modelByName(ctx, name);
  const row = await versionRow(ctx, model, version);
  const [out] = await hydrateVersions(ctx, [row], model.name);
  if (!out) throw new GantryError("INTERNAL", "version vanished");
  return out;
}

/** A model's versions, newest first, with their aliases. */
export async function listModelVersions(ctx: OrgContext, name: string, options: { includeArchived?: boolean } = {}): Promise<ModelVersion[]> {
  const model = await modelByName(ctx, name);
  const rows = await ctx.db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), options.includeArchived === false ? eq(modelVersions.archived, false) : undefined))
    .orderBy(desc(modelVersions.version));
  return hydrateVersions(ctx, rows, model.name);
}

async function changeVersion(
  ctx: OrgContext,
  ref: { name: string; version: number },
  audit: { action: string; data: Record<string, unknown> },
  change: (row: ModelVersionRow, ctx: OrgContext) => Partial<ModelVersionRow> | Promise<Partial<ModelVersionRow>>,
): Promise<ModelVersion> {
  await mutate(
    ctx,
    (id: string) => ({ action: audit.action, targetType: "model_version", targetId: id, data: { name: ref.name, version: ref.version, ...audit.data } }),
    async (tx) => {
      const c = { ...ctx, db: tx };
      const row = await versionRow(c, await modelByName(c, ref.name), ref.version, { forUpdate: true });
      await tx
        .update(modelVersions)
        .set(await change(row, c))
        .where(eq(modelVersions.id, row.id));
      return row.id;
    },
  );
  return getModelVersion(ctx, ref.name, ref.version);
}

/** Description, model card (markdown) and archived; fields left out stay as they are. A version an endpoint serves cannot be archived. */
export function updateModelVersion(ctx: OrgContext, raw: UpdateModelVersionInput): Promise<ModelVersion> {
  const { name, version, ...fields } = parseInput(ZUpdateModelVersionInput, raw);
  const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return changeVersion(ctx, { name, version }, { action: "model.version.update", data: { fields: Object.keys(set) } }, async (row, c) => {
    if (fields.archived === true && !row.archived) await assertNotServed(c, name, [row], `archive version ${version} of '${name}'`);
    return set;
  });
}

export function setVersionTag(ctx: OrgContext, ref: { name: string; version: number }, rawTag: { key: string; value: string }): Promise<ModelVersion> {
  const tag = parseInput(ZModelTag, rawTag);
  return changeVersion(ctx, ref, { action: "model.version.set_tag", data: { key: tag.key } }, (row) => ({ tags: { ...row.tags, [tag.key]: tag.value } }));
}

export function deleteVersionTag(ctx: OrgContext, ref: { name: string; version: number }, key: string): Promise<ModelVersion> {
  return changeVersion(ctx, ref, { action: "model.version.delete_tag", data: { key } }, (row) => {
    if (!(key in row.tags)) throw new GantryError("NOT_FOUND", `Version ${ref.version} of '${ref.name}' has no tag '${key}'`, { field: "key" });
    return { tags: Object.fromEntries(Object.entries(row.tags).filter(([k]) => k !== key)) };
  });
}

/**
 * Deletes a version; its aliases go with it, each removal recorded in the alias history. A
 * version an endpoint's current revision serves is refused (PRECONDITION_FAILED naming them).
 */
export async function deleteModelVersion(ctx: OrgContext, name: string, rawVersion: number): Promise<void> {
  const version = parseInput(ZVersionNumber, rawVersion);
  await mutate(
    ctx,
    (r: { id: string; aliases: string[] }) => ({ action: "model.version.delete", targetType: "model_version", targetId: r.id, data: { name, version, aliasesRemoved: r.aliases } }),
    async (tx) => {
      const c = { ...ctx, db: tx };
      const model = await modelByName(c, name, { forUpdate: true });
      const row = await versionRow(c, model, version, { forUpdate: true });
      await assertNotServed(c, model.name, [row], `delete version ${version} of '${model.name}'`);
      const aliases = (await aliasesByVersion(c, [row.id])).get(row.id) ?? [];
      for (const alias of aliases) await recordAliasMove(c, { model, alias, fromVersion: version, toVersion: null, reason: `version ${version} deleted` });
      await tx.delete(modelVersions).where(eq(modelVersions.id, row.id));
      return { id: row.id, aliases };
    },
  );
}
