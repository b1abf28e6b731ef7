import { parentPort } from "node:worker_threads";

import type { LoadedPipeline, Row } from "@gantry/ml";
import { loadPipeline, selectBackend } from "@gantry/ml";

/*
 * The shadow predictor's thread: mirrored requests are predicted here, on another core, so a
 * shadow never holds up the event loop that answers callers. It keeps its own pipelines (the
 * main thread sends a version's bytes the first time it mirrors to it) and answers each job with
 * the predictions or the error.
 */

export type ShadowRequest = { kind: "load"; versionId: string; bytes: Uint8Array } | { kind: "predict"; id: number; versionId: string; rows: Row[] };
export type ShadowReply = { id: number; predictions?: unknown[]; error?: string; ms: number } | { loaded: string; error?: string };

const port = parentPort;
if (!port) throw new Error("shadow-thread runs as a worker thread");

const pipelines = new Map<string, LoadedPipeline>();
const ready = selectBackend();

port.on("message", (message: ShadowRequest) => {
  void (async () => {
    await ready;
    if (message.kind === "load") {
      try {
        pipelines.get(message.versionId)?.dispose();
        pipelines.set(message.versionId, await loadPipeline(message.bytes));
        port.postMessage({ loaded: message.versionId } satisfies ShadowReply);
      } catch (error) {
        port.postMessage({ loaded: message.versionId, error: error instanceof Error ? error.message : String(error) } satisfies ShadowReply);
      }
      return;
    }
    const started = performance.now();
    const pipeline = pipelines.get(message.versionId);
    try {
      if (!pipeline) throw new Error(`version ${message.versionId} is not loaded in the shadow thread`);
      port.postMessage({ id: message.id, predictions: pipeline.predict(message.rows), ms: performance.now() - started } satisfies ShadowReply);
    } catch (error) {
      port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error), ms: performance.now() - started } satisfies ShadowReply);
    }
  })();
});
