import { eq, sql } from "@gantry/db";
import { GantryError, jobLogs, jobs, latestMetrics, metricBuckets, metricChunks } from "@gantry/schema";
import type { JobProgress, LogBatchInput } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { linkRunToDatasetVersion, readDatasetTable } from "../datasets";
import { registerVersionFromRun, setAlias } from "../registry";
import { deploy, getEndpoint } from "../serving";
import { putRunArtifact } from "../tracking/artifacts";
import { createExperiment, getExperimentByName } from "../tracking/experiments";
import { logBatch } from "../tracking/logging";
import { createRun, updateRun } from "../tracking/runs";
import type { JobLease } from "./lease";
import { appendJobLog, holdLease } from "./lease";

/*
 * What a training job writes to its run, each step in one transaction that re-checks the lease.
 * The worker calls these; the TensorFlow side stays in the worker.
 */

/** Every row of the job's pinned dataset version, typed (the `Table` the training code takes). */
export const readTrainingTable = (ctx: OrgContext, store: ArtifactStore, versionId: string) => readDatasetTable(ctx, store, versionId);

/** The experiment by name, created when missing (a concurrent creator is fine). */
export async function experimentIdByName(ctx: OrgContext, name: string): Promise<string> {
  const existing = await getExperimentByName(ctx, name).catch((error: unknown) => {
    if (error instanceof GantryError && error.code === "NOT_FOUND") return null;
    throw error;
  });
  if (existing) return existing.id;
  return createExperiment(ctx, { name })
    .then((e) => e.id)
    .catch(async (error: unknown) => {
      if (error instanceof GantryError && error.code === "CONFLICT") return (await getExperimentByName(ctx, name)).id;
      throw error;
    });
}

export type AttachRunInput = {
  experiment: string;
  runName?: string;
  parentRunId?: string;
  /** MLflow's user label of the run (the job creator's email). */
  userLabel?: string;
  tags: Record<string, string>;
  /** The run an earlier attempt created (the job's `runId`), to take over. */
  existingRunId: string | null;
};

/**
 * The job's run: a new one (its id stored on the job in the same transaction), or on a retake
 * the earlier attempt's run, with the metrics it logged deleted so that training from scratch
 * logs each epoch once. Params are logged at the end only, and artifacts too, so neither needs
 * cleaning.
 */
export async function attachTrainingRun(ctx: OrgContext, lease: JobLease, input: AttachRunInput): Promise<{ runId: string; retaken: boolean }> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    await holdLease(tx, lease);
    if (input.existingRunId) {
      await tx.delete(metricChunks).where(eq(metricChunks.runId, input.existingRunId));
      await tx.delete(latestMetrics).where(eq(latestMetrics.runId, input.existingRunId));
      await tx.delete(metricBuckets).where(eq(metricBuckets.runId, input.existingRunId));
      await logBatch(c, input.existingRunId, { tags: Object.entries(input.tags).map(([key, value]) => ({ key, value })) });
      await updateRun(c, input.existingRunId, { status: "RUNNING" });
      return { runId: input.existingRunId, retaken: true };
    }
    const experimentId = await experimentIdByName(c, input.experiment);
    const run = await createRun(c, {
      experimentId,
      name: input.runName,
      parentRunId: input.parentRunId,
      userId: input.userLabel,
      source: "worker",
      tags: Object.entries(input.tags).map(([key, value]) => ({ key, value })),
    });
    await holdLease(tx, lease, { runId: run.info.id });
    return { runId: run.info.id, retaken: false };
  });
}

export type EpochRecord = { runId: string; epoch: number; metrics: Record<string, number>; progress: JobProgress; message: string };
export type EpochsRecord = { runId: string; epochs: { epoch: number; metrics: Record<string, number>; message: string }[]; progress: JobProgress };

/** One epoch: its metrics (step = epoch), the job's progress and a log line. Answers whether a cancel was asked for. */
export async function recordTrainingEpoch(ctx: OrgContext, lease: JobLease, record: EpochRecord): Promise<{ cancelRequested: boolean }> {
  return recordTrainingEpochs(ctx, lease, { runId: record.runId, progress: record.progress, epochs: [record] });
}

/**
 * Epochs that ended since the last write, in one transaction: their metrics (step = epoch), a log
 * line each, and the latest progress. A writer that falls behind fast epochs catches up in one go.
 */
export async function recordTrainingEpochs(ctx: OrgContext, lease: JobLease, record: EpochsRecord): Promise<{ cancelRequested: boolean }> {
  return ctx.db.transaction(async (tx) => {
    const job = await holdLease(tx, lease, { progress: record.progress });
    const timestamp = Date.now();
    const metrics = record.epochs.flatMap((e) => Object.entries(e.metrics).map(([key, value]) => ({ key, value, timestamp, step: e.epoch })));
    await logInChunks({ ...ctx, db: tx }, record.runId, { params: [], metrics });
    if (record.epochs.length) await tx.insert(jobLogs).values(record.epochs.map((e) => ({ orgId: lease.orgId, jobId: lease.jobId, message: e.message })));
    return { cancelRequested: job.cancelRequested };
  });
}

export type TrainingArtifact = { path: string; bytes: Uint8Array; contentType: string };

export type TrainingOutcome = {
  runId: string;
  datasetVersionId: string;
  params: Record<string, string>;
  testMetrics: Record<string, number>;
  artifacts: TrainingArtifact[];
  store: ArtifactStore;
  progress: JobProgress;
  /** What the job produced, for its `result` (test metrics, best epoch, …). */
  result: Record<string, unknown>;
  message: string;
  /** The spec's `register`: the run's model becomes a registry version (and the alias moves) with the run FINISHED. */
  register?: { model: string; alias?: string; deploy?: string };
};

/** Logs in batches within MLflow's limits (100 params, 1,000 items a batch). */
async function logInChunks(ctx: OrgContext, runId: string, batch: Required<Pick<LogBatchInput, "params" | "metrics">>) {
  for (let i = 0; i < batch.params.length; i += 100) await logBatch(ctx, runId, { params: batch.params.slice(i, i + 100) });
  for (let i = 0; i < batch.metrics.length; i += 1000) await logBatch(ctx, runId, { metrics: batch.metrics.slice(i, i + 1000) });
}

/**
 * The end of a successful training, in one transaction: params and test metrics, the artifact
 * rows (their bytes go to the content-addressed store first: a crash before the rows leaves
 * nothing visible), the dataset link, the run FINISHED, the registry version when the spec asks
 * for one, and the job succeeded.
 */
export async function completeTrainingJob(ctx: OrgContext, lease: JobLease, outcome: TrainingOutcome): Promise<void> {
  // Puts are idempotent (content-addressed): done before the transaction, repeated cheaply inside it.
  for (const a of outcome.artifacts) await outcome.store.put(bodyOf(a.bytes));
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    await holdLease(tx, lease);
    const timestamp = Date.now();
    await logInChunks(c, outcome.runId, {
      params: Object.entries(outcome.params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(outcome.testMetrics).map(([key, value]) => ({ key, value, timestamp, step: 0 })),
    });
    for (const a of outcome.artifacts) {
      await putRunArtifact(c, { runId: outcome.runId, path: a.path, body: bodyOf(a.bytes), contentType: a.contentType, store: outcome.store, maxBytes: Number.MAX_SAFE_INTEGER });
    }
    await linkRunToDatasetVersion(c, outcome.runId, outcome.datasetVersionId);
    await updateRun(c, outcome.runId, { status: "FINISHED" });
    await appendJobLog(tx, lease, outcome.message);
    const registered = outcome.register ? await registerTrainedModel(c, lease, outcome, outcome.register) : null;
    await tx
      .update(jobs)
      .set({ status: "succeeded", progress: outcome.progress, result: { ...outcome.result, ...(registered ? { registered } : {}) }, finishedAt: sql`now()`, error: null })
      .where(eq(jobs.id, lease.jobId));
  });
}

/**
 * Registers the finished run's model inside the completion transaction, under a savepoint: a
 * registration that fails (say, the model was renamed away meanwhile) costs the registration, not
 * the trained run; the job log says why.
 */
async function registerTrainedModel(ctx: OrgContext, lease: JobLease, outcome: TrainingOutcome, register: NonNullable<TrainingOutcome["register"]>) {
  try {
    const registered = await ctx.db.transaction(async (sp) => {
      const c = { ...ctx, db: sp };
      const version = await registerVersionFromRun(c, outcome.store, { name: register.model, runId: outcome.runId, description: `Trained by job ${lease.jobId}` });
      if (register.alias) await setAlias(c, { name: register.model, alias: register.alias, version: version.version, reason: `training job ${lease.jobId}` });
      return { model: version.name, version: version.version, ...(register.alias ? { alias: register.alias } : {}) };
    });
    const uri = `models:/${registered.model}/${registered.version}`;
    await appendJobLog(ctx.db, lease, `Registered ${uri}${registered.alias ? ` (alias ${registered.alias})` : ""}`);
    if (register.deploy) await deployTrainedModel(ctx, lease, register.deploy, registered);
    return registered;
  } catch (error) {
    await appendJobLog(ctx.db, lease, `Not registered as model '${register.model}': ${error instanceof Error ? error.message : String(error)}`, "warn");
    return null;
  }
}

/** Serves the new version on the spec's endpoint; a failure (the endpoint was deleted) costs the deploy, not the version. */
async function deployTrainedModel(ctx: OrgContext, lease: JobLease, endpoint: string, registered: { model: string; version: number }) {
  try {
    await ctx.db.transaction(async (sp) => {
      const c = { ...ctx, db: sp };
      // An endpoint that follows the alias was redeployed by the alias move already.
      const current = await getEndpoint(c, endpoint);
      if (current.model !== registered.model || current.version !== registered.version) {
        await deploy(c, endpoint, { model: { model: registered.model, version: registered.version }, reason: `training job ${lease.jobId}` });
      }
    });
    await appendJobLog(ctx.db, lease, `Deployed models:/${registered.model}/${registered.version} on endpoint ${endpoint}`);
  } catch (error) {
    await appendJobLog(ctx.db, lease, `Not deployed on endpoint '${endpoint}': ${error instanceof Error ? error.message : String(error)}`, "warn");
  }
}

async function* bodyOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/**
 * A job that ends without success: cancelled (its run KILLED) or failed (run FAILED, with the
 * message people read). One transaction; the run part is skipped when no run was made yet.
 */
export async function endTrainingJob(ctx: OrgContext, lease: JobLease, end: { status: "failed" | "cancelled"; runId: string | null; message: string }): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await holdLease(tx, lease);
    if (end.runId) await updateRun({ ...ctx, db: tx }, end.runId, { status: end.status === "failed" ? "FAILED" : "KILLED" });
    await tx
      .update(jobs)
      .set({ status: end.status, finishedAt: sql`now()`, error: end.status === "failed" ? end.message : null })
      .where(eq(jobs.id, lease.jobId));
    await appendJobLog(tx, lease, end.message, end.status === "failed" ? "error" : "warn");
  });
}
