import type PgBoss from "pg-boss";

import type { TrainMessage } from "@gantry/api/jobs";
import { advanceStalledSweeps, recoverStaleJobs, TRAIN_QUEUE, trainQueueOptions } from "@gantry/api/jobs";

import type { TrainingDeps } from "./execute";
import { runTrainingJob } from "./execute";

export type TrainingQueueOptions = Omit<TrainingDeps, "shuttingDown"> & {
  concurrency: number;
  maxAttempts: number;
};

/**
 * Consumes the `train` queue (one pg-boss worker per concurrent job) and runs the stale-job
 * recovery at start and then every min(15 s, stale time): a crashed worker's job is retaken
 * within about twice the stale time.
 */
export async function startTrainingQueue(boss: PgBoss, options: TrainingQueueOptions) {
  let shuttingDown = false;
  const cancels = new Map<string, () => void>();
  const deps: TrainingDeps = { ...options, cancels, shuttingDown: () => shuttingDown };
  await boss.createQueue(TRAIN_QUEUE, { name: TRAIN_QUEUE, ...trainQueueOptions });
  // createQueue keeps an existing queue's settings; these must hold whatever an older version set.
  await boss.updateQueue(TRAIN_QUEUE, { name: TRAIN_QUEUE, ...trainQueueOptions });

  const workerIds: string[] = [];
  for (let i = 0; i < options.concurrency; i++) {
    const workerId = await boss.work<TrainMessage>(TRAIN_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([message]) => {
      if (!message) return;
      const outcome = await runTrainingJob(deps, message.data.jobId);
      if (outcome !== "skipped") options.log(`train: job ${message.data.jobId} ${outcome}`);
      return { outcome };
    });
    workerIds.push(workerId);
  }

  let recovering: Promise<void> | null = null;
  const recover = () =>
    (recovering ??= recoverStaleJobs(options.db, { staleMs: options.staleMs, maxAttempts: options.maxAttempts })
      .then((r) => {
        if (r.requeued.length) options.log(`train: re-queued ${r.requeued.join(", ")}`);
        if (r.failed.length) options.log(`train: gave up on ${r.failed.join(", ")}`);
        if (r.cancelled.length) options.log(`train: cancelled ${r.cancelled.join(", ")}`);
      })
      // A sweep whose child ended without advancing it (its worker died in between) moves on here.
      .then(() => advanceStalledSweeps(options.db))
      .then((ids) => {
        if (ids.length) options.log(`sweeps: advanced stalled ${ids.join(", ")}`);
      })
      .catch((error: unknown) => options.log(`train: recovery failed: ${String(error)}`))
      .finally(() => (recovering = null)));
  await recover();
  const timer = setInterval(() => void recover(), Math.min(15_000, options.staleMs));

  return {
    /** A cancel NOTIFY named this job: if it runs here, it stops at its next batch. */
    cancel: (jobId: string) => cancels.get(jobId)?.(),
    /** Makes the idle train workers fetch now (a NOTIFY said a message was enqueued). */
    wake: () => {
      for (const id of workerIds) boss.notifyWorker(id);
    },
    /** Running jobs stop at their next batch and go back to the queue; call before stopping pg-boss. */
    stop: async () => {
      shuttingDown = true;
      clearInterval(timer);
      await recovering;
    },
  };
}
