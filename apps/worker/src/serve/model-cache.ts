import { buffer } from "node:stream/consumers";

import type { ArtifactStore } from "@gantry/api/artifacts";
import type { LoadedPipeline } from "@gantry/ml";
import { loadPipeline } from "@gantry/ml";

import type { CompiledSignature } from "./rows";
import { compileSignature } from "./rows";

/*
 * Loaded pipelines, keyed by model version id (a version's bytes never change), least recently
 * used first out. A load is shared by every request that asks while it runs. Prediction is
 * synchronous once a pipeline is in hand, so evicting (and disposing) one can never cut a request
 * that is already predicting with it.
 */

export type ServedModel = { pipeline: LoadedPipeline; compiled: CompiledSignature; versionId: string };

export type ModelCache = {
  get(versionId: string, pipelineSha256: string): Promise<ServedModel>;
  /** The model when loaded, else undefined (no load started). */
  peek(versionId: string): ServedModel | undefined;
  size(): number;
  clear(): void;
};

export function createModelCache({ store, capacity, log }: { store: ArtifactStore; capacity: number; log: (message: string) => void }): ModelCache {
  const loaded = new Map<string, ServedModel>();
  const loading = new Map<string, Promise<ServedModel>>();

  const touch = (versionId: string, model: ServedModel) => {
    loaded.delete(versionId);
    loaded.set(versionId, model);
    while (loaded.size > capacity) {
      const [oldest, evicted] = loaded.entries().next().value as [string, ServedModel];
      loaded.delete(oldest);
      evicted.pipeline.dispose();
      log(`model cache: evicted version ${oldest}`);
    }
  };

  return {
    peek: (versionId) => loaded.get(versionId),
    get(versionId, pipelineSha256) {
      const hit = loaded.get(versionId);
      if (hit) {
        touch(versionId, hit);
        return Promise.resolve(hit);
      }
      let pending = loading.get(versionId);
      if (!pending) {
        const started = Date.now();
        pending = (async () => {
          const bytes = await buffer(await store.get(pipelineSha256));
          const pipeline = await loadPipeline(bytes);
          const model = { pipeline, compiled: compileSignature(pipeline.signature), versionId };
          touch(versionId, model);
          log(`model cache: loaded version ${versionId} in ${Date.now() - started} ms`);
          return model;
        })().finally(() => loading.delete(versionId));
        loading.set(versionId, pending);
      }
      return pending;
    },
    size: () => loaded.size,
    clear() {
      for (const model of loaded.values()) model.pipeline.dispose();
      loaded.clear();
    },
  };
}
