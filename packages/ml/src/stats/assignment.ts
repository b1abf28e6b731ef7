/*
 * Sticky assignment of units (users, sessions) to weighted variants, as GrowthBook's SDKs do
 * (hashing v2: `fnv1a32(String(fnv1a32(seed + unit))) % 10000 / 10000`,
 * growthbook/growthbook: packages/sdk-js/src/util.ts `hash`). The seed is the test's own salt, so
 * one unit lands in independent buckets in different tests (iter8-tools/iter8#744: tests that share
 * buckets always put the same users in the candidate arm). The double hash spreads sequential ids
 * ("user-1", "user-2", …) evenly, which a single FNV-1a over short similar strings does not.
 */

/** 32-bit FNV-1a over the UTF-16 code units (as the JavaScript SDKs hash). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The unit's position in [0, 1) for this salt: the same unit and salt always give the same number. */
export const bucketOf = (salt: string, unit: string): number => (fnv1a32(String(fnv1a32(salt + unit))) % 10_000) / 10_000;

/**
 * The index of the variant a unit gets, by cumulative weights (any positive scale: 90/10 or
 * 0.9/0.1). Without a unit id the caller passes a random number in [0, 1) instead of a bucket.
 */
export function pickByWeight(weights: readonly number[], position: number): number {
  const total = weights.reduce((a, w) => a + w, 0);
  let edge = 0;
  for (let i = 0; i < weights.length; i++) {
    edge += (weights[i] ?? 0) / total;
    if (position < edge) return i;
  }
  // Rounding can leave the last edge a hair under 1: the position belongs to the last weighted variant.
  for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] ?? 0) > 0) return i;
  return 0;
}

export const assignVariant = (weights: readonly number[], salt: string, unit: string): number => pickByWeight(weights, bucketOf(salt, unit));
