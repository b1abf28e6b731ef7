import { banditCounts } from "@gantry/api/abtests";
import type { ServingDeployment } from "@gantry/api/serving";
import type { Executor } from "@gantry/db";
import type { BanditArm } from "@gantry/ml";

/*
 * The feedback counts of each bandit endpoint's arms, refreshed in the background every
 * `refreshMs` (never on the request path): the router reads whatever was counted last.
 */
export function createBanditArms({ db, refreshMs, log }: { db: Executor; refreshMs: number; log: (m: string) => void }) {
  const cache = new Map<string, { revision: number; arms: BanditArm[]; at: number; loading: boolean }>();
  return (deployment: ServingDeployment): BanditArm[] | undefined => {
    const revision = deployment.revision;
    if (!revision) return undefined;
    const entry = cache.get(deployment.endpointId);
    const fresh = entry && entry.revision === revision.number && Date.now() - entry.at < refreshMs;
    if (!fresh && !entry?.loading) {
      const next = { revision: revision.number, arms: entry?.revision === revision.number ? entry.arms : revision.variants.map(() => ({ successes: 0, failures: 0 })), at: entry?.at ?? 0, loading: true };
      cache.set(deployment.endpointId, next);
      banditCounts(db, deployment.endpointId, revision.number)
        .then((counts) => cache.set(deployment.endpointId, { revision: revision.number, arms: revision.variants.map((v) => counts.get(v.name) ?? { successes: 0, failures: 0 }), at: Date.now(), loading: false }))
        .catch((error: unknown) => {
          next.loading = false;
          next.at = Date.now();
          log(`bandit counts of ${deployment.orgSlug}/${deployment.name} not refreshed: ${String(error)}`);
        });
    }
    return cache.get(deployment.endpointId)?.arms;
  };
}
