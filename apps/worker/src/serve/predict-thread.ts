import { parentPort } from "node:worker_threads";

import type { LoadedPipeline, Row } from "@gantry/ml";
import { loadPipeline, selectBackend } from "@gantry/ml";
import { GantryError } from "@gantry/schema";

/*
 * A prediction thread: pipelines are loaded and run here, on another core than the event loop
 * that parses requests, checks them, answers and logs. It keeps the pipelines the main thread
 * sends (once per version) and answers each job, in order, with the predictions or the error
 * (with the domain error's code, so a bad value is still a 400).
 */

export type PredictRequest =
  | { kind: "load"; versionId: string; bytes: Uint8Array }
  | { kind: "unload"; versionId: string }
  | { kind: "predict"; id: number; versionId: string; rows: Row[] };
export type PredictReply = { id: number; predictions?: unknown[]; error?: string; code?: string; field?: string; ms: number } | { loaded: string; error?: string };

const port = parentPort;
if (!port) throw new Error("predict-thread runs as a worker thread");

const pipelines = new Map<string, LoadedPipeline>();
const ready = selectBackend();
let chain: Promise<unknown> = ready;

port.on("message", (message: PredictRequest) => {
  // One at a time, in arrival order: a load, then the predictions that need it.
  chain = chain.then(() => handle(message)).catch(() => undefined);
});

async function handle(message: PredictRequest): Promise<void> {
  if (!port) return;
  if (message.kind === "load") {
    try {
      pipelines.get(message.versionId)?.dispose();
      pipelines.set(message.versionId, await loadPipeline(message.bytes));
      port.postMessage({ loaded: message.versionId } satisfies PredictReply);
    } catch (error) {
      port.postMessage({ loaded: message.versionId, error: error instanceof Error ? error.message : String(error) } satisfies PredictReply);
    }
    return;
  }
  if (message.kind === "unload") {
    pipelines.get(message.versionId)?.dispose();
    pipelines.delete(message.versionId);
    return;
  }
  const started = performance.now();
  const pipeline = pipelines.get(message.versionId);
  try {
    if (!pipeline) throw new GantryError("PRECONDITION_FAILED", `version ${message.versionId} is not loaded in this thread`);
    port.postMessage({ id: message.id, predictions: pipeline.predict(message.rows), ms: performance.now() - started } satisfies PredictReply);
  } catch (error) {
    const domain = error instanceof GantryError ? { code: pipeline ? error.code : "NOT_LOADED", ...(error.field ? { field: error.field } : {}) } : {};
    port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error), ...domain, ms: performance.now() - started } satisfies PredictReply);
  }
}
