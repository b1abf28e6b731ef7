import { buffer } from "node:stream/consumers";

import type { ArtifactStore } from "@gantry/api/artifacts";
import type { Prediction, Row, Signature } from "@gantry/ml";
import { loadPipeline, readPipelineDocument } from "@gantry/ml";
import { GantryError } from "@gantry/schema";

import type { CompiledSignature } from "./rows";
import { compileSignature } from "./rows";
import type { ThreadPredictor } from "./thread-predictor";

/*
 * Served models, keyed by model version id (a version's bytes never change), least recently
 * used first out. A load is shared by every request that asks while it runs. With a prediction
 * thread, the network lives there (this thread keeps the signature, to check requests and shape
 * answers); without one, here. A request that got a model keeps it until it has its predictions:
 * jobs run in the thread in the order they were posted, and a version the thread lost (evicted,
 * or a restarted thread) is sent again before predicting.
 */

export type ServedModel = { compiled: CompiledSignature; versionId: string; predict(rows: Row[]): Promise<Prediction[]> };

export type ModelCache = {
  get(versionId: string, pipelineSha256: string): Promise<ServedModel>;
  /** The model when loaded, else undefined (no load started). */
  peek(versionId: string): ServedModel | undefined;
  size(): number;
  clear(): void;
};

type Entry = { model: ServedModel; dispose: () => void };

async function inThread(thread: ThreadPredictor, versionId: string, bytes: Uint8Array): Promise<Entry> {
  const signature = readPipelineDocument(bytes).signature as Signature;
  await thread.load(versionId, bytes);
  const predict = async (rows: Row[]): Promise<Prediction[]> => {
    if (!thread.holds(versionId)) await thread.load(versionId, bytes);
    let answer = await thread.predict(versionId, rows);
    if ("error" in answer && answer.code === "NOT_LOADED") {
      await thread.load(versionId, bytes);
      answer = await thread.predict(versionId, rows);
    }
    if ("predictions" in answer) return answer.predictions;
    if (answer.code === "INVALID_INPUT") throw new GantryError("INVALID_INPUT", answer.error, answer.field ? { field: answer.field } : undefined);
    throw new Error(`prediction failed: ${answer.error}`);
  };
  return { model: { compiled: compileSignature(signature), versionId, predict }, dispose: () => thread.unload(versionId) };
}

async function inProcess(versionId: string, bytes: Uint8Array): Promise<Entry> {
  const pipeline = await loadPipeline(bytes);
  return { model: { compiled: compileSignature(pipeline.signature), versionId, predict: async (rows) => pipeline.predict(rows) }, dispose: () => pipeline.dispose() };
}

export function createModelCache({ store, capacity, log, thread }: { store: ArtifactStore; capacity: number; log: (message: string) => void; thread?: ThreadPredictor }): ModelCache {
  const loaded = new Map<string, Entry>();
  const loading = new Map<string, Promise<ServedModel>>();

  const touch = (versionId: string, entry: Entry) => {
    loaded.delete(versionId);
    loaded.set(versionId, entry);
    while (loaded.size > capacity) {
      const [oldest, evicted] = loaded.entries().next().value as [string, Entry];
      loaded.delete(oldest);
      evicted.dispose();
      log(`model cache: evicted version ${oldest}`);
    }
  };

  return {
    peek: (versionId) => loaded.get(versionId)?.model,
    get(versionId, pipelineSha256) {
      const hit = loaded.get(versionId);
      if (hit) {
        touch(versionId, hit);
        return Promise.resolve(hit.model);
      }
      let pending = loading.get(versionId);
      if (!pending) {
        const started = Date.now();
        pending = (async () => {
          const bytes = new Uint8Array(await buffer(await store.get(pipelineSha256)));
          const entry = thread ? await inThread(thread, versionId, bytes) : await inProcess(versionId, bytes);
          touch(versionId, entry);
          log(`model cache: loaded version ${versionId} in ${Date.now() - started} ms${thread ? " (prediction thread)" : ""}`);
          return entry.model;
        })().finally(() => loading.delete(versionId));
        loading.set(versionId, pending);
      }
      return pending;
    },
    size: () => loaded.size,
    clear() {
      for (const entry of loaded.values()) entry.dispose();
      loaded.clear();
    },
  };
}
