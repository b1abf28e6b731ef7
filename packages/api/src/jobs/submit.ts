import { jobLogs, jobs, ZSubmitTrainingJobInput } from "@gantry/schema";
import type { DatasetVersion, TrainingSpec, TrainingSpecInput } from "@gantry/schema";
import { GantryError } from "@gantry/schema";

import type { OrgContext } from "../context";
import { resolveDatasetVersion } from "../datasets";
import { parseInput } from "../parse";
import { mutate } from "../services/audit";
import { runRow } from "../tracking/runs";
import { endpointByName } from "../serving/lookup";
import { enqueueTrainingJob } from "./queue";
import type { JobRow } from "./read";
import { jobRow, toJob } from "./read";

/**
 * What a training job stores as its spec: the validated spec with the dataset pinned to one
 * version (number, id and content hash), so the job is reproducible whatever is uploaded later.
 * ZTrainingSpec parses it back (ZDatasetRef drops the extra dataset fields); `parentRunId` and
 * `runTags` are not spec fields and are taken off before parsing.
 */
export type StoredTrainingSpec = TrainingSpec & {
  dataset: { name: string; version: number; versionId: string; sha256: string };
  /** A sweep trial's run is created as a child of this run. */
  parentRunId?: string;
  /** Extra tags for the job's run (a sweep trial's index and values). */
  runTags?: Record<string, string>;
};

export type SubmitJobOptions = {
  /** A sweep's trial points at its sweep job. */
  parentJobId?: string;
  /** A scheduled (or retraining) job points at its schedule. */
  scheduleId?: string;
  /** The run is created as a child of this run (a sweep's parent run). */
  parentRunId?: string;
  /** Extra tags for the job's run. */
  runTags?: Record<string, string>;
};

/** Training reads the whole version into memory as typed rows: beyond this many cells a worker would run out of heap. */
export const TRAINING_MAX_CELLS = 20_000_000;

/** Validates a spec, pins its dataset version and checks the columns it names exist there. */
export async function pinTrainingSpec(ctx: OrgContext, raw: TrainingSpecInput, resolved?: DatasetVersion): Promise<StoredTrainingSpec> {
  // Wrapped so messages name the field as the API sees it: "spec.epochs: …".
  const { spec } = parseInput(ZSubmitTrainingJobInput, { spec: raw });
  // A caller that already resolved this dataset reference (a sweep's trials) passes the version.
  const same = resolved && resolved.name === spec.dataset.name && spec.dataset.version === resolved.version;
  const version = same ? resolved : await resolveDatasetVersion(ctx, spec.dataset);
  const label = `${version.name}@${version.version}`;
  const columns = new Set(version.columns.map((c) => c.name));
  const missing = (field: string, kind: string, column: string) =>
    new GantryError("INVALID_INPUT", `${kind} column '${column}' not in dataset '${label}'`, { field: `spec.${field}` });
  if (!columns.has(spec.target)) throw missing("target", "target", spec.target);
  for (const feature of spec.features ?? []) if (!columns.has(feature)) throw missing("features", "feature", feature);
  if (spec.features?.includes(spec.target)) throw new GantryError("INVALID_INPUT", `the target '${spec.target}' cannot also be a feature`, { field: "spec.features" });
  if (spec.split.kind === "time" && !columns.has(spec.split.column)) throw missing("split.column", "time split", spec.split.column);
  const cells = version.rowCount * version.columns.length;
  if (cells > TRAINING_MAX_CELLS) {
    throw new GantryError(
      "INVALID_INPUT",
      `dataset '${label}' has ${version.rowCount.toLocaleString("en")} rows × ${version.columns.length} columns; training holds the table in memory and takes at most ${TRAINING_MAX_CELLS.toLocaleString("en")} cells`,
      { field: "spec.dataset" },
    );
  }
  // The version's profile already knows a target no model can learn: say so now, store nothing.
  const target = version.profile.columns.find((c) => c.name === spec.target);
  if (target && !target.distinctCapped && target.distinct === 0) {
    throw new GantryError("INVALID_INPUT", `target column '${spec.target}' has no values in dataset '${label}'`, { field: "spec.target" });
  }
  if (target && !target.distinctCapped && target.distinct === 1) {
    const only = target.top?.[0]?.value ?? target.min;
    throw new GantryError("INVALID_INPUT", `target column '${spec.target}' is constant in dataset '${label}'${only === undefined ? "" : ` (one value: ${String(only)})`}: there is nothing to learn`, { field: "spec.target" });
  }
  return { ...spec, dataset: { name: version.name, version: version.version, versionId: version.id, sha256: version.sha256 } };
}

export const creatorOf = (ctx: OrgContext): string | null =>
  ctx.actor.type === "user" ? ctx.actor.userId : ctx.actor.type === "api_key" ? ctx.actor.userId : (ctx.actor.onBehalfOf ?? null);

/** Inserts the job row, its first log line and its pg-boss message, with the audit event: one transaction. */
async function insertTrainingJob(ctx: OrgContext, spec: StoredTrainingSpec, options: SubmitJobOptions, audit: { action: string; data?: Record<string, unknown>; note?: string }): Promise<JobRow> {
  const dataset = `${spec.dataset.name}@${spec.dataset.version}`;
  return mutate(
    ctx,
    (job: JobRow) => ({ action: audit.action, targetType: "job", targetId: job.id, data: { kind: "train", dataset, ...audit.data } }),
    async (tx) => {
      const [job] = await tx
        .insert(jobs)
        .values({ orgId: ctx.orgId, kind: "train", spec, createdBy: creatorOf(ctx), parentJobId: options.parentJobId ?? null, scheduleId: options.scheduleId ?? null })
        .returning();
      if (!job) throw new GantryError("INTERNAL", "Job not created");
      const lines = [audit.note, `Queued: train a ${spec.task ?? "model (task inferred)"} on ${dataset}, target '${spec.target}', ${spec.epochs} epochs`].filter((l): l is string => Boolean(l));
      await tx.insert(jobLogs).values(lines.map((message) => ({ orgId: ctx.orgId, jobId: job.id, message })));
      await enqueueTrainingJob(tx, job.id, 0);
      return job;
    },
  );
}

/**
 * Submits a training job: the spec is validated (INVALID_INPUT naming the field), its dataset
 * resolved to a concrete version, and the job row and its queue message are written together.
 */
export async function submitTrainingJob(ctx: OrgContext, raw: TrainingSpecInput, options: SubmitJobOptions = {}) {
  const spec = await pinTrainingSpec(ctx, raw);
  if (spec.register?.deploy) {
    await endpointByName(ctx, spec.register.deploy).catch((error: unknown) => {
      if (error instanceof GantryError && error.code === "NOT_FOUND") throw new GantryError("NOT_FOUND", `spec.register.deploy: no endpoint named '${spec.register?.deploy}'`, { field: "spec.register.deploy" });
      throw error;
    });
  }
  if (options.parentRunId) await runRow(ctx, options.parentRunId);
  if (options.parentJobId) await jobRow(ctx, options.parentJobId);
  const stored: StoredTrainingSpec = { ...spec, ...(options.parentRunId ? { parentRunId: options.parentRunId } : {}), ...(options.runTags ? { runTags: options.runTags } : {}) };
  return toJob(await insertTrainingJob(ctx, stored, options, { action: "job.submit" }));
}

/** The training spec of a stored job, parsed again (the pinned dataset fields, `parentRunId` and `runTags` set apart). */
export function storedTrainingSpec(job: Pick<JobRow, "id" | "kind" | "spec">): {
  spec: TrainingSpec;
  dataset: StoredTrainingSpec["dataset"];
  parentRunId: string | undefined;
  runTags: Record<string, string> | undefined;
} {
  if (job.kind !== "train") throw new GantryError("INVALID_INPUT", `Job ${job.id} is a ${job.kind} job, not a training job`, { field: "jobId" });
  const { parentRunId, runTags, ...raw } = job.spec as StoredTrainingSpec;
  const { spec } = parseInput(ZSubmitTrainingJobInput, { spec: raw });
  return { spec, dataset: raw.dataset, parentRunId, runTags };
}

/**
 * Retry makes a NEW job with the same pinned spec (and the same parent job, schedule and parent
 * run): each job row stays the record of one execution, with its own run and logs. The new job's
 * first log line and the audit event name the job it retries.
 */
export async function retryJob(ctx: OrgContext, id: string) {
  const old = await jobRow(ctx, id);
  if (old.status !== "failed" && old.status !== "cancelled") {
    throw new GantryError("PRECONDITION_FAILED", `Job ${id} is ${old.status}; only failed or cancelled jobs can be retried`, { field: "jobId" });
  }
  const { spec, dataset, parentRunId, runTags } = storedTrainingSpec(old);
  // Pinned by version number: resolves to the same dataset version (and checks it still exists).
  const pinned = await pinTrainingSpec(ctx, { ...spec, dataset: { name: dataset.name, version: dataset.version } });
  const stored: StoredTrainingSpec = { ...pinned, ...(parentRunId ? { parentRunId } : {}), ...(runTags ? { runTags } : {}) };
  const options = { parentJobId: old.parentJobId ?? undefined, scheduleId: old.scheduleId ?? undefined };
  return toJob(await insertTrainingJob(ctx, stored, options, { action: "job.retry", data: { retryOf: old.id }, note: `Retry of job ${old.id}` }));
}
