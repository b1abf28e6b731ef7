import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";

import type { LoadedPipeline, Prediction, Row } from "@gantry/ml";
import { loadPipeline, selectBackend } from "@gantry/ml";
import { GantryError } from "@gantry/schema";

import { MAX_BATCH_ROWS } from "./thread-predictor";

/*
 * A prediction thread: pipelines are loaded and run here, on another core than the event loop
 * that parses requests, checks them, answers and logs. It keeps the pipelines the main thread
 * sends (once per version) and answers each job with the predictions or the error (with the
 * domain error's code, so a bad value is still a 400).
 *
 * Dynamic batching, as TF Serving's batcher does: the jobs that queued up while the thread was
 * busy are predicted together, one `predict` call per version over all their rows (up to
 * MAX_BATCH_ROWS), and split back per job; a model call costs much the same for 1 row as for 30,
 * so under load the thread keeps up with far more requests. A batch that fails is retried job by
 * job, so each job still gets its own answer or error. Loads and unloads keep their place in the
 * order: jobs before them are answered first.
 */

export type PredictJob = { kind: "predict"; id: number; versionId: string; rows: Row[] };
export type PredictRequest = { kind: "load"; versionId: string; bytes: Uint8Array } | { kind: "unload"; versionId: string } | PredictJob | { kind: "jobs"; jobs: PredictJob[] };
export type JobReply = { id: number; predictions?: unknown[]; error?: string; code?: string; field?: string; ms: number };
export type PredictReply = { replies: JobReply[] } | { loaded: string; error?: string };

const port = parentPort;
if (!port) throw new Error("predict-thread runs as a worker thread");

/*
 * A thread that must yield to others (a shadow's) lowers its own scheduling priority: on Linux a
 * thread has its own nice value, set through its thread id (/proc/thread-self names it). Under
 * contention the answering path's threads then get the cores first; with cores to spare it runs
 * as fast as ever.
 */
const nice = (workerData as { nice?: number } | null)?.nice;
if (nice) {
  try {
    setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), nice);
  } catch {
    // Not Linux, or no /proc: the thread keeps the process's priority.
  }
}

const pipelines = new Map<string, LoadedPipeline>();
const queue: Exclude<PredictRequest, { kind: "jobs" }>[] = [];
let chain: Promise<unknown> = selectBackend();
let scheduled = false;

port.on("message", (message: PredictRequest) => {
  if (message.kind === "jobs") queue.push(...message.jobs);
  else queue.push(message);
  if (scheduled) return;
  scheduled = true;
  // After the messages already waiting are queued too (setImmediate runs once the port's pending events are dispatched).
  chain = chain
    .then(() => new Promise((resolve) => setImmediate(resolve)))
    .then(drain, drain)
    .catch(() => undefined);
});

async function drain(): Promise<void> {
  scheduled = false;
  const work = queue.splice(0);
  let jobs: PredictJob[] = [];
  for (const message of work) {
    if (message.kind === "predict") {
      jobs.push(message);
      continue;
    }
    answer(jobs);
    jobs = [];
    await manage(message);
  }
  answer(jobs);
}

async function manage(message: Exclude<PredictRequest, PredictJob | { kind: "jobs" }>): Promise<void> {
  if (message.kind === "unload") {
    pipelines.get(message.versionId)?.dispose();
    pipelines.delete(message.versionId);
    return;
  }
  try {
    pipelines.get(message.versionId)?.dispose();
    pipelines.set(message.versionId, await loadPipeline(message.bytes));
    port?.postMessage({ loaded: message.versionId } satisfies PredictReply);
  } catch (error) {
    port?.postMessage({ loaded: message.versionId, error: error instanceof Error ? error.message : String(error) } satisfies PredictReply);
  }
}

/** Predicts the jobs, grouped by version and chunked by rows, and posts every answer in one message. */
function answer(jobs: PredictJob[]): void {
  if (!jobs.length) return;
  const replies: JobReply[] = [];
  const byVersion = new Map<string, PredictJob[]>();
  for (const job of jobs) {
    const group = byVersion.get(job.versionId);
    if (group) group.push(job);
    else byVersion.set(job.versionId, [job]);
  }
  for (const [versionId, group] of byVersion) {
    let chunk: PredictJob[] = [];
    let rows = 0;
    for (const job of group) {
      if (chunk.length && rows + job.rows.length > MAX_BATCH_ROWS) {
        predictChunk(versionId, chunk, replies);
        chunk = [];
        rows = 0;
      }
      chunk.push(job);
      rows += job.rows.length;
    }
    predictChunk(versionId, chunk, replies);
  }
  port?.postMessage({ replies } satisfies PredictReply);
}

function predictChunk(versionId: string, chunk: PredictJob[], replies: JobReply[]): void {
  const started = performance.now();
  const pipeline = pipelines.get(versionId);
  if (pipeline && chunk.length > 1) {
    let predictions: Prediction[] | null = null;
    try {
      predictions = pipeline.predict(chunk.flatMap((job) => job.rows));
    } catch {
      // One job's rows spoilt the batch: each on its own below, so only that one gets the error.
    }
    if (predictions) {
      const ms = performance.now() - started;
      let at = 0;
      for (const job of chunk) {
        replies.push({ id: job.id, predictions: predictions.slice(at, at + job.rows.length), ms });
        at += job.rows.length;
      }
      return;
    }
  }
  for (const job of chunk) replies.push(predictOne(pipeline, job));
}

function predictOne(pipeline: LoadedPipeline | undefined, job: PredictJob): JobReply {
  const started = performance.now();
  try {
    if (!pipeline) throw new GantryError("PRECONDITION_FAILED", `version ${job.versionId} is not loaded in this thread`);
    return { id: job.id, predictions: pipeline.predict(job.rows), ms: performance.now() - started };
  } catch (error) {
    const domain = error instanceof GantryError ? { code: pipeline ? error.code : "NOT_LOADED", ...(error.field ? { field: error.field } : {}) } : {};
    return { id: job.id, error: error instanceof Error ? error.message : String(error), ...domain, ms: performance.now() - started };
  }
}
