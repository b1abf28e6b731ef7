import type { ArtifactStore } from "@gantry/api/artifacts";
import type { OrgContext } from "@gantry/api/jobs";
import type { EpochsRecord, JobLease } from "@gantry/api/jobs";
import type { JobProgress } from "@gantry/schema";
import {
  advanceParentSweep,
  appendJobLog,
  attachTrainingRun,
  claimJob,
  completeTrainingJob,
  endTrainingJob,
  heartbeatJob,
  jobContext,
  JobLeaseLostError,
  leaseOf,
  readTrainingTable,
  recordTrainingEpochs,
  releaseJob,
  storedTrainingSpec,
} from "@gantry/api/jobs";
import type { Database } from "@gantry/db";
import type { EpochReport } from "@gantry/ml";
import { trainPipeline } from "@gantry/ml";
import { GantryError } from "@gantry/schema";

import { finiteOnly, trainingArtifacts, trainingSummary } from "./outcome";
import type { TableCache } from "./table-cache";

export type TrainingDeps = {
  db: Database;
  store: ArtifactStore;
  /** Names this worker process on the job row (host:pid:random). */
  workerId: string;
  /** A running job whose heartbeat is older than this may be taken over. */
  staleMs: number;
  heartbeatMs: number;
  /** The TensorFlow.js backend in use, for the run's tags. */
  backend: string;
  log: (message: string) => void;
  /** Running jobs' cancel switches by job id, flipped when a cancel NOTIFY arrives (optional). */
  cancels?: Map<string, () => void>;
  /** Parsed dataset versions kept between jobs (optional: without it every job reads its file). */
  tables?: TableCache;
  /** True once the worker is shutting down: a running job stops and goes back to the queue. */
  shuttingDown?: () => boolean;
  /** Called after a job ends (succeeded, failed or cancelled): what waits on jobs can look now rather than at its next tick. */
  onJobEnded?: (jobId: string) => Promise<unknown>;
};

export type TrainingJobOutcome = "skipped" | "succeeded" | "failed" | "cancelled" | "released" | "lost";

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));
const describeMetrics = (metrics: Record<string, number>) =>
  Object.entries(metrics)
    .map(([k, v]) => `${k}=${fmt(v)}`)
    .join(" ");

/** What people read when a job fails: our own errors as they are, anything else prefixed. */
export const failureMessage = (error: unknown): string =>
  error instanceof GantryError ? error.message : `Training failed: ${error instanceof Error ? error.message : String(error)}`;

/**
 * Runs one training job, if this worker can claim it (otherwise another worker owns it or it is
 * finished, and this returns "skipped"). While it runs, a heartbeat keeps the lease and reads
 * cancel requests; every write re-checks the lease. User errors end the job FAILED and return
 * normally: pg-boss must not retry them. Only infrastructure errors (the database gone) throw, and
 * the stale-job recovery retakes such a job later. When the job is a sweep's trial, its ending
 * moves the sweep on (a failure there is left to the recovery pass, which advances stalled sweeps),
 * and `onJobEnded` hears of it.
 */
export async function runTrainingJob(deps: TrainingDeps, jobId: string): Promise<TrainingJobOutcome> {
  const outcome = await trainClaimedJob(deps, jobId);
  if (outcome === "succeeded" || outcome === "failed" || outcome === "cancelled") {
    await advanceParentSweep(deps.db, jobId).catch((error: unknown) => deps.log(`job ${jobId}: advancing its sweep failed: ${String(error)}`));
    await deps.onJobEnded?.(jobId).catch((error: unknown) => deps.log(`job ${jobId}: after it ended: ${String(error)}`));
  }
  return outcome;
}

async function trainClaimedJob(deps: TrainingDeps, jobId: string): Promise<TrainingJobOutcome> {
  const job = await claimJob(deps.db, { jobId, workerId: deps.workerId, staleMs: deps.staleMs });
  if (!job) return "skipped";
  const lease = leaseOf(job, deps.workerId);
  const ctx = await jobContext(deps.db, job);
  const state = { cancel: job.cancelRequested, lost: false };
  deps.cancels?.set(job.id, () => (state.cancel = true));
  const beat = setInterval(() => {
    heartbeatJob(deps.db, lease).then(
      (h) => {
        state.lost ||= !h.owned;
        state.cancel ||= h.cancelRequested;
      },
      (error: unknown) => deps.log(`job ${job.id}: heartbeat failed: ${String(error)}`),
    );
  }, deps.heartbeatMs);
  // The training code's log is synchronous; its lines are written in order, off its path.
  let logs = Promise.resolve();
  const jobLog = (message: string, level: "info" | "warn" | "error" = "info") => {
    logs = logs.then(() => appendJobLog(deps.db, lease, message, level)).catch((error: unknown) => deps.log(`job ${job.id}: log line lost: ${String(error)}`));
  };
  let runId = job.runId;
  try {
    const { spec, dataset, parentRunId, runTags } = storedTrainingSpec(job);
    const label = `${dataset.name}@${dataset.version}`;
    const retake = job.attempts > 1 && job.runId !== null;
    jobLog(retake ? `Attempt ${job.attempts} on ${deps.workerId}: retaking run ${job.runId} from scratch` : `Started on ${deps.workerId} (attempt ${job.attempts}, ${deps.backend} backend)`);
    if (state.cancel) return await end(ctx, lease, { status: "cancelled", runId, message: "Cancelled before training started" }, () => logs);

    const load = () => readTrainingTable(ctx, deps.store, dataset.versionId);
    const { table, cached } = deps.tables ? await deps.tables.get(job.orgId, dataset.versionId, load) : { table: await load(), cached: false };
    jobLog(`Loaded ${label}: ${table.rows.length} rows × ${table.columns.length} columns${cached ? " (already in this worker's memory)" : ""}`);
    const attached = await attachTrainingRun(ctx, lease, {
      experiment: spec.experiment,
      runName: spec.runName,
      parentRunId,
      userLabel: ctx.creatorLabel ?? undefined,
      tags: { ...runTags, "gantry.job_id": job.id, "gantry.backend": deps.backend, "gantry.dataset": label },
      existingRunId: retake ? job.runId : null,
    });
    runId = attached.runId;

    let last: EpochReport | undefined;
    let epochWriteError: unknown;
    let epochs: EpochsRecord["epochs"] = [];
    let progress: JobProgress = { fraction: 0 };
    let writing = false;
    const writeEpochs = async (): Promise<void> => {
      while (epochs.length && !epochWriteError) {
        const batch = epochs;
        epochs = [];
        try {
          const { cancelRequested } = await recordTrainingEpochs(ctx, lease, { runId: attached.runId, epochs: batch, progress });
          state.cancel ||= cancelRequested;
        } catch (error) {
          epochWriteError = error;
          if (error instanceof JobLeaseLostError) state.lost = true;
        }
      }
      writing = false;
    };
    const result = await trainPipeline({
      spec,
      table,
      shouldStop: () => state.cancel || state.lost || Boolean(deps.shuttingDown?.()),
      log: (message) => jobLog(message),
      onEpoch: (report) => {
        last = report;
        const etaMs = Math.round((report.elapsedMs / report.epoch) * (report.epochs - report.epoch));
        const message = `epoch ${report.epoch}/${report.epochs}: ${describeMetrics(report.metrics)} (${(report.elapsedMs / 1000).toFixed(1)}s)`;
        epochs.push({ epoch: report.epoch, metrics: report.metrics, message });
        progress = { fraction: report.epoch / report.epochs, epoch: report.epoch, epochs: report.epochs, etaMs, metrics: finiteOnly(report.metrics) };
        // Written behind the training (it does not wait for the database), one write in flight:
        // epochs that end meanwhile go together in the next one, so fast epochs cannot pile up.
        if (!writing) logs = logs.then(writeEpochs);
        writing = true;
      },
    });
    await logs;
    if (state.lost) throw new JobLeaseLostError(lease);
    if (epochWriteError) throw epochWriteError;
    if (result.status === "cancelled") {
      if (!state.cancel && deps.shuttingDown?.()) {
        return (await releaseJob(deps.db, lease, `Worker ${deps.workerId} shutting down at epoch ${last?.epoch ?? 0}/${spec.epochs}`)) ? "released" : "lost";
      }
      return await end(ctx, lease, { status: "cancelled", runId, message: `Cancelled at epoch ${last?.epoch ?? 0}/${spec.epochs}` }, () => logs);
    }
    const summary = trainingSummary(result, last);
    await completeTrainingJob(ctx, lease, {
      runId: attached.runId,
      datasetVersionId: dataset.versionId,
      params: { ...result.params, dataset: label, dataset_sha256: dataset.sha256 },
      testMetrics: result.testMetrics,
      artifacts: trainingArtifacts(result),
      store: deps.store,
      progress: summary.progress,
      result: { runId: attached.runId, ...summary.result },
      message: `Succeeded: ${describeMetrics(result.testMetrics) || "no test metrics"} (run ${attached.runId})`,
      ...(spec.register ? { register: spec.register } : {}),
    });
    return "succeeded";
  } catch (error) {
    await logs;
    if (error instanceof JobLeaseLostError) {
      deps.log(`job ${job.id}: ${error.message}; stopped without writing`);
      return "lost";
    }
    const message = failureMessage(error);
    if (!(error instanceof GantryError)) deps.log(`job ${job.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return await end(ctx, lease, { status: "failed", runId, message }, () => logs);
  } finally {
    clearInterval(beat);
    deps.cancels?.delete(job.id);
  }
}

async function end(ctx: OrgContext, lease: JobLease, end: { status: "failed" | "cancelled"; runId: string | null; message: string }, flushed: () => Promise<void>): Promise<TrainingJobOutcome> {
  await flushed();
  try {
    await endTrainingJob(ctx, lease, end);
    return end.status;
  } catch (error) {
    if (error instanceof JobLeaseLostError) return "lost";
    throw error;
  }
}
