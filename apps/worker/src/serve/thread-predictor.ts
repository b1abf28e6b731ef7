import { Worker } from "node:worker_threads";

import type { Prediction, Row } from "@gantry/ml";

import type { PredictJob, PredictReply, PredictRequest } from "./predict-thread";

/*
 * The main thread's handle on a prediction thread (predict-thread.ts): it sends a version's
 * pipeline bytes once (`load`), then rows (`predict`), and resolves each job with the thread's
 * answer. The jobs of one turn of the event loop go over in one message (the thread batches what
 * queues up; see predict-thread.ts), and a load or unload first sends the jobs before it, so the
 * thread sees them in the order they were asked for. If the thread dies, every waiting job answers
 * with an error, and the next call starts a new thread (its pipelines are sent again).
 */

/** Rows per model call in the thread at most: a larger backlog is predicted in several calls. */
export const MAX_BATCH_ROWS = 1_024;

export type ThreadAnswer = { predictions: Prediction[]; ms: number } | { error: string; code?: string; field?: string; ms: number };

export type ThreadPredictor = {
  /** Loads the version's pipeline into the thread; resolves once it can predict (rejects with the load error). */
  load(versionId: string, bytes: Uint8Array): Promise<void>;
  unload(versionId: string): void;
  /** Whether the thread holds this version (else `load` first). */
  holds(versionId: string): boolean;
  predict(versionId: string, rows: Row[]): Promise<ThreadAnswer>;
  /** Jobs posted and not answered yet. */
  inFlight(): number;
  close(): Promise<void>;
};

/**
 * `answerChunk`: how many of a message's answers are handed back per turn of the event loop. The
 * answering path takes them all at once (its callers wait); a shadow's backlog is handed back a
 * few at a time, so logging hundreds of mirrored answers never stalls the requests in between.
 */
export function createThreadPredictor({ log, name, answerChunk = Number.POSITIVE_INFINITY, nice = 0 }: { log: (m: string) => void; name: string; answerChunk?: number; /** The thread's nice value (Linux): 19 yields the cores to every other thread. */ nice?: number }): ThreadPredictor {
  let worker: Worker | null = null;
  let closed = false;
  let nextId = 1;
  const pending = new Map<number, (reply: ThreadAnswer) => void>();
  const loaded = new Set<string>();
  const loadWaiters = new Map<string, (reply: { error?: string }) => void>();
  let outgoing: PredictJob[] = [];

  /** Sends the jobs asked for so far (at the end of this turn of the event loop, or before a load or unload). */
  const send = () => {
    if (!outgoing.length) return;
    const jobs = outgoing;
    outgoing = [];
    start().postMessage({ kind: "jobs", jobs } satisfies PredictRequest);
  };

  const start = (): Worker => {
    if (worker) return worker;
    // A worker thread does not inherit tsx from `--import`: the .mjs entry registers it, then loads predict-thread.ts.
    const w = new Worker(new URL("./predict-thread-entry.mjs", import.meta.url), { name, workerData: { nice } });
    w.unref();
    w.on("message", (reply: PredictReply) => {
      if ("loaded" in reply) {
        loadWaiters.get(reply.loaded)?.(reply);
        loadWaiters.delete(reply.loaded);
        return;
      }
      const hand = (from: number) => {
        const to = Math.min(reply.replies.length, from + answerChunk);
        for (const job of reply.replies.slice(from, to)) {
          const resolve = pending.get(job.id);
          pending.delete(job.id);
          resolve?.(job.predictions ? { predictions: job.predictions as Prediction[], ms: job.ms } : { error: job.error ?? "unknown", code: job.code, field: job.field, ms: job.ms });
        }
        if (to < reply.replies.length) setImmediate(hand, to);
      };
      hand(0);
    });
    w.on("error", (error) => log(`${name} thread failed: ${error.message}`));
    w.on("exit", (code) => {
      if (worker === w) worker = null;
      loaded.clear();
      outgoing = [];
      for (const resolve of pending.values()) resolve({ error: `${name} thread exited (${code})`, ms: 0 });
      pending.clear();
      for (const resolve of loadWaiters.values()) resolve({ error: `${name} thread exited (${code})` });
      loadWaiters.clear();
      if (!closed) log(`${name} thread exited with ${code}; the next request starts another`);
    });
    worker = w;
    return w;
  };

  return {
    async load(versionId, bytes) {
      send();
      const w = start();
      const reply = await new Promise<{ error?: string }>((resolve) => {
        loadWaiters.set(versionId, resolve);
        // A copy: the caller may keep its bytes; the copy's buffer moves to the thread without another copy.
        const copy = bytes.slice();
        w.postMessage({ kind: "load", versionId, bytes: copy } satisfies PredictRequest, [copy.buffer]);
      });
      if (reply.error) throw new Error(reply.error);
      loaded.add(versionId);
    },
    unload(versionId) {
      loaded.delete(versionId);
      send();
      worker?.postMessage({ kind: "unload", versionId } satisfies PredictRequest);
    },
    holds: (versionId) => loaded.has(versionId),
    predict(versionId, rows) {
      start();
      const id = nextId++;
      return new Promise<ThreadAnswer>((resolve) => {
        pending.set(id, resolve);
        if (!outgoing.length) setImmediate(send);
        outgoing.push({ kind: "predict", id, versionId, rows });
      });
    },
    inFlight: () => pending.size,
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
