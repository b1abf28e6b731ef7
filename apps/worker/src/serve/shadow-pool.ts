import { buffer } from "node:stream/consumers";
import { Worker } from "node:worker_threads";

import type { ArtifactStore } from "@gantry/api/artifacts";
import type { ServingVariant } from "@gantry/api/serving";
import type { Prediction, Row } from "@gantry/ml";

import type { ShadowReply, ShadowRequest } from "./shadow-thread";

/*
 * Shadow predictions run in a worker thread (shadow-thread.ts): the event loop that answers
 * callers only posts the rows and, later, logs what came back. At most `maxInFlight` mirrored
 * requests wait at once; past that a mirror is skipped (a shadow is a sample, never a backlog).
 * If the thread cannot start or dies, mirrors are skipped and said so, and answers are unaffected.
 */

export type ShadowPredictor = {
  /** The shadow variant's predictions of the rows, or null when skipped (busy, or the thread is down). */
  predict(variant: ServingVariant, rows: Row[]): Promise<{ predictions: Prediction[]; ms: number } | { error: string; ms: number } | null>;
  close(): Promise<void>;
};

export function createShadowPredictor({ store, log, maxInFlight = 1_000 }: { store: ArtifactStore; log: (m: string) => void; maxInFlight?: number }): ShadowPredictor {
  let worker: Worker | null = null;
  let broken = false;
  let nextId = 1;
  const pending = new Map<number, (reply: ShadowReply) => void>();
  const loads = new Map<string, Promise<void>>();
  const loadWaiters = new Map<string, (reply: ShadowReply) => void>();

  const start = (): Worker | null => {
    if (worker || broken) return worker;
    try {
      // A worker thread does not inherit tsx from `--import`: the .mjs entry registers it, then loads shadow-thread.ts.
      worker = new Worker(new URL("./shadow-thread-entry.mjs", import.meta.url));
      worker.unref();
      worker.on("message", (reply: ShadowReply) => {
        if ("loaded" in reply) loadWaiters.get(reply.loaded)?.(reply);
        else {
          pending.get(reply.id)?.(reply);
          pending.delete(reply.id);
        }
      });
      worker.on("error", (error) => log(`shadow thread failed: ${error.message}`));
      worker.on("exit", (code) => {
        broken = true;
        worker = null;
        for (const resolve of pending.values()) resolve({ id: 0, error: `shadow thread exited (${code})`, ms: 0 });
        pending.clear();
        if (code !== 0) log(`shadow thread exited with ${code}: mirrors are skipped`);
      });
    } catch (error) {
      broken = true;
      log(`shadow thread could not start (${error instanceof Error ? error.message : String(error)}): mirrors are skipped`);
    }
    return worker;
  };

  const ensureLoaded = (w: Worker, variant: ServingVariant): Promise<void> => {
    let loading = loads.get(variant.modelVersionId);
    if (!loading) {
      loading = (async () => {
        const bytes = new Uint8Array(await buffer(await store.get(variant.pipelineSha256)));
        const reply = await new Promise<ShadowReply>((resolve) => {
          loadWaiters.set(variant.modelVersionId, resolve);
          w.postMessage({ kind: "load", versionId: variant.modelVersionId, bytes } satisfies ShadowRequest, [bytes.buffer]);
        });
        loadWaiters.delete(variant.modelVersionId);
        if ("error" in reply && reply.error) throw new Error(reply.error);
      })();
      loading.catch(() => loads.delete(variant.modelVersionId));
      loads.set(variant.modelVersionId, loading);
    }
    return loading;
  };

  return {
    async predict(variant, rows) {
      const w = start();
      if (!w || pending.size >= maxInFlight) return null;
      try {
        await ensureLoaded(w, variant);
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error), ms: 0 };
      }
      const id = nextId++;
      const reply = await new Promise<ShadowReply>((resolve) => {
        pending.set(id, resolve);
        w.postMessage({ kind: "predict", id, versionId: variant.modelVersionId, rows } satisfies ShadowRequest);
      });
      if ("loaded" in reply) return null;
      return reply.predictions ? { predictions: reply.predictions as Prediction[], ms: reply.ms } : { error: reply.error ?? "unknown", ms: reply.ms };
    },
    async close() {
      const w = worker;
      broken = true;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
