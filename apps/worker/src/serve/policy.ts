import type { ServingDeployment, ServingVariant } from "@gantry/api/serving";
import type { BanditArm } from "@gantry/ml/stats";
import { assignVariant, epsilonGreedy, pickByWeight, thompsonSample } from "@gantry/ml/stats";

/*
 * Which variant answers a request, by the revision's traffic policy:
 * - single: its one variant;
 * - split and canary: by weight, sticky per unit id (hashed with the test's salt), random without one;
 * - shadow: the first variant answers; `mirrorPercent` of requests are also sent to the second,
 *   after the answer, logged and never returned;
 * - bandit: Thompson sampling or epsilon-greedy over the arms' feedback counts (no stickiness:
 *   the point is to move traffic as evidence arrives).
 */

export type Route = { variant: ServingVariant; mirror: ServingVariant | null };

export type ArmCounts = (deployment: ServingDeployment) => BanditArm[] | undefined;

const mathRandom = { next: Math.random, int: (n: number) => Math.floor(Math.random() * n), seed: () => Math.floor(Math.random() * 2 ** 31) };

export function routeRequest(deployment: ServingDeployment, unitId: string | null, arms: ArmCounts): Route | null {
  const revision = deployment.revision;
  const variants = revision?.variants ?? [];
  // A variant whose version vanished is not in `variants`: route among what can be served.
  if (!revision || !variants.length) return null;
  const policy = revision.policy;
  const byName = (name: string | undefined) => variants.find((v) => v.name === name) ?? null;
  switch (policy.kind) {
    case "single":
      return { variant: variants[0] as ServingVariant, mirror: null };
    case "shadow": {
      const primary = byName(policy.variants[0].name) ?? (variants[0] as ServingVariant);
      const mirror = Math.random() * 100 < policy.mirrorPercent ? byName(policy.variants[1].name) : null;
      return { variant: primary, mirror: mirror && mirror !== primary ? mirror : null };
    }
    case "split":
    case "canary": {
      const weights = variants.map((v) => v.weight);
      const index = unitId ? assignVariant(weights, policy.salt, unitId) : pickByWeight(weights, Math.random());
      return { variant: variants[index] as ServingVariant, mirror: null };
    }
    case "bandit": {
      const counts = arms(deployment) ?? variants.map(() => ({ successes: 0, failures: 0 }));
      const index = policy.algorithm === "thompson" ? thompsonSample(counts, mathRandom) : epsilonGreedy(counts, policy.epsilon, mathRandom);
      return { variant: (variants[index] ?? variants[0]) as ServingVariant, mirror: null };
    }
  }
}
