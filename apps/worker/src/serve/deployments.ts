import type { ServingDeployment } from "@gantry/api/serving";
import { activeServingDeployments, changedEndpoints, servingDeploymentById, servingDeploymentByName } from "@gantry/api/serving";
import type { Executor } from "@gantry/db";

import type { ModelCache } from "./model-cache";

/*
 * The endpoints this server answers for, by `org/name`. An entry changes only after the models
 * of its new revision are loaded, so a deploy never makes a request wait for (or fail on) a load:
 * requests in flight finish on the revision they started with, the next ones get the new one.
 * Changes arrive by NOTIFY (`changed`), and a poll of `updated_at` catches any a dropped LISTEN
 * connection missed. While the database is away, entries keep serving as they were.
 */

export type DeploymentCache = {
  /** The cached entry, or a load from the database (null: no such endpoint, remembered briefly). */
  resolve(orgSlug: string, name: string): ServingDeployment | null | Promise<ServingDeployment | null>;
  /** An endpoint changed: re-read it, warm its models, then swap it in. */
  changed(endpointId: string): Promise<void>;
  /** Compares `updated_at` of every cached endpoint with the database; reloads those that moved. */
  poll(): Promise<void>;
  /** Loads and warms the most recently deployed active endpoints. */
  warm(limit: number): Promise<number>;
  entries(): ServingDeployment[];
};

const MISS_TTL_MS = 2_000;

export function createDeploymentCache({ db, models, log }: { db: Executor; models: ModelCache; log: (m: string) => void }): DeploymentCache {
  const byKey = new Map<string, ServingDeployment>();
  const keyOfId = new Map<string, string>();
  const misses = new Map<string, number>();
  const loading = new Map<string, Promise<ServingDeployment | null>>();

  const warmModels = async (d: ServingDeployment) => {
    for (const v of d.revision?.variants ?? []) {
      await models.get(v.modelVersionId, v.pipelineSha256).catch((error: unknown) => log(`warming ${d.orgSlug}/${d.name} v${v.version} failed: ${String(error)}`));
    }
  };

  const put = (d: ServingDeployment) => {
    const key = `${d.orgSlug}/${d.name}`;
    const previous = keyOfId.get(d.endpointId);
    if (previous && previous !== key) byKey.delete(previous); // renamed
    byKey.set(key, d);
    keyOfId.set(d.endpointId, key);
    misses.delete(key);
  };

  const drop = (endpointId: string) => {
    const key = keyOfId.get(endpointId);
    if (key) byKey.delete(key);
    keyOfId.delete(endpointId);
  };

  const reload = async (endpointId: string) => {
    const d = await servingDeploymentById(db, endpointId);
    if (!d) return drop(endpointId);
    await warmModels(d);
    put(d);
  };

  return {
    resolve(orgSlug, name) {
      const key = `${orgSlug}/${name}`;
      const hit = byKey.get(key);
      if (hit) return hit;
      const missedAt = misses.get(key);
      if (missedAt !== undefined && Date.now() - missedAt < MISS_TTL_MS) return null;
      let pending = loading.get(key);
      if (!pending) {
        pending = servingDeploymentByName(db, orgSlug, name)
          .then(async (d) => {
            if (!d) {
              if (misses.size > 10_000) misses.clear();
              misses.set(key, Date.now());
              return null;
            }
            put(d);
            return d;
          })
          .finally(() => loading.delete(key));
        loading.set(key, pending);
      }
      return pending;
    },
    async changed(endpointId) {
      await reload(endpointId).catch((error: unknown) => log(`reloading endpoint ${endpointId} failed: ${String(error)}`));
    },
    async poll() {
      const held = new Map([...byKey.values()].map((d) => [d.endpointId, d.updatedAt]));
      for (const id of await changedEndpoints(db, held)) await reload(id);
    },
    async warm(limit) {
      const list = await activeServingDeployments(db, limit);
      for (const d of list) {
        await warmModels(d);
        put(d);
      }
      return list.length;
    },
    entries: () => [...byKey.values()],
  };
}
