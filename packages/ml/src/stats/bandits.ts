import betaRandom from "@stdlib/random-base-beta";

import type { Random } from "../training/random";
import { fail, requireCount } from "./guards";

/*
 * Stateless bandit choices for the serving router, after Seldon Core's routers
 * (components/routers/thompson-sampling/ThompsonSampling.py, epsilon-greedy/EpsilonGreedy.py;
 * spec §2). The caller keeps the per-arm counts and passes a seeded Random, so a replay with
 * the same seed routes the same way.
 */

export type BanditArm = { successes: number; failures: number };

function checkArms(arms: readonly BanditArm[]): void {
  if (arms.length === 0) fail("arms", "needs at least one arm");
  arms.forEach((arm, i) => {
    requireCount(arm.successes, `arms[${i}].successes`);
    requireCount(arm.failures, `arms[${i}].failures`);
  });
}

/** A uniformly random index among those whose value equals the maximum. */
function argmaxRandomTie(values: readonly number[], random: Random): number {
  const best = Math.max(...values);
  const ties = values.flatMap((v, i) => (v === best ? [i] : []));
  return ties[random.int(ties.length)] ?? 0;
}

// A stdlib generator is costly to build (its normal sampler sets up tables): one per Random.
const generators = new WeakMap<Random, ReturnType<typeof betaRandom.factory>>();

function betaFor(random: Random): ReturnType<typeof betaRandom.factory> {
  let draw = generators.get(random);
  if (!draw) {
    draw = betaRandom.factory({ prng: random.next });
    generators.set(random, draw);
  }
  return draw;
}

/**
 * Thompson sampling: one draw per arm from its Beta(1 + successes, 1 + failures) posterior
 * (Beta(1, 1) prior), then the argmax. The draws come from stdlib's Beta generator fed by the
 * caller's uniform source (its `prng` option), so no hand-written sampler and no hidden seed.
 */
export function thompsonSample(arms: readonly BanditArm[], random: Random): number {
  checkArms(arms);
  const draw = betaFor(random);
  return argmaxRandomTie(
    arms.map((arm) => draw(1 + arm.successes, 1 + arm.failures)),
    random,
  );
}

/**
 * Seldon's ε-greedy rule: an arm's value is successes ÷ tries (0 before any try); the best arm is
 * the argmax with ties broken at random; with probability ε route to a uniformly random arm
 * OTHER than the best, otherwise to the best. With a single arm there is nothing else to explore.
 */
export function epsilonGreedy(arms: readonly BanditArm[], epsilon = 0.1, random: Random): number {
  checkArms(arms);
  if (!(epsilon >= 0 && epsilon <= 1)) fail("epsilon", `must be in [0, 1], got ${epsilon}`);
  const values = arms.map((arm) => {
    const tries = arm.successes + arm.failures;
    return tries === 0 ? 0 : arm.successes / tries;
  });
  const best = argmaxRandomTie(values, random);
  if (arms.length === 1 || random.next() >= epsilon) return best;
  const other = random.int(arms.length - 1);
  return other >= best ? other + 1 : other;
}
