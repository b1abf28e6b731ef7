import { buffer } from "node:stream/consumers";

import type { ArtifactStore } from "@gantry/api/artifacts";
import type { ServingVariant } from "@gantry/api/serving";
import type { Row } from "@gantry/ml";

import type { ThreadAnswer } from "./thread-predictor";
import { createThreadPredictor } from "./thread-predictor";

/*
 * Shadow predictions run in their own thread at the lowest scheduling priority, apart from the
 * answering path's: a mirror never delays a caller. At most `maxInFlight` mirrored requests wait
 * at once; past that a mirror is skipped (a shadow is a sample, never a backlog).
 */

export type ShadowPredictor = { predict(variant: ServingVariant, rows: Row[]): Promise<ThreadAnswer | null>; close(): Promise<void> };

export function createShadowPredictor({ store, log, maxInFlight = 1_000 }: { store: ArtifactStore; log: (m: string) => void; maxInFlight?: number }): ShadowPredictor {
  const thread = createThreadPredictor({ log, name: "shadow", answerChunk: 16, nice: 19 });
  const loads = new Map<string, Promise<void>>();
  const ensure = (variant: ServingVariant) => {
    if (thread.holds(variant.modelVersionId)) return Promise.resolve();
    let loading = loads.get(variant.modelVersionId);
    if (!loading) {
      loading = (async () => thread.load(variant.modelVersionId, new Uint8Array(await buffer(await store.get(variant.pipelineSha256)))))().finally(() => loads.delete(variant.modelVersionId));
      loads.set(variant.modelVersionId, loading);
    }
    return loading;
  };
  return {
    async predict(variant, rows) {
      if (thread.inFlight() >= maxInFlight) return null;
      try {
        await ensure(variant);
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error), ms: 0 };
      }
      return thread.predict(variant.modelVersionId, rows);
    },
    close: () => thread.close(),
  };
}
