/*
 * A seeded PRNG (mulberry32) so splits, shuffles and dropout masks are reproducible from the
 * spec's seed alone. Each use draws from its own stream so adding a draw in one place does not
 * shift every other random choice.
 */

export type Random = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A 31-bit integer, for seeding other generators (TensorFlow.js initialisers, dropout). */
  seed(): number;
};

export const randomStreams = { split: 1, shuffle: 2, dropout: 3, initializers: 4 } as const;

/** Mixes a seed and a stream number into a well-spread 32-bit state (murmur3 finaliser). */
export function deriveSeed(seed: number, stream: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream >>> 0, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function createRandom(seed: number, stream = 0): Random {
  let state = deriveSeed(seed, stream);
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    seed: () => Math.floor(next() * 0x7fffffff),
  };
}

/** Fisher–Yates, in place. */
export function shuffleInPlace(items: { length: number; [index: number]: unknown }, random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
}
