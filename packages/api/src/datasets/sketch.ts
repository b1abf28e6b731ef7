import { MergingDigest } from "./digest";

/*
 * Bounded-memory summaries of one column, fed one value at a time. Each is exact while the data
 * is small (so profiles of small files can be checked by hand) and approximate, in fixed memory,
 * past a cap.
 */

export const QUANTILES = { p01: 0.01, p05: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 } as const;
export const HISTOGRAM_BINS = 20;

/** Count, mean and variance by Welford's method (stable in one pass), min and max. */
export class Moments {
  count = 0;
  mean = 0;
  private m2 = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  add(x: number): void {
    this.count += 1;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** The sample standard deviation (n − 1), as pandas' describe(); 0 for one value. */
  get std(): number {
    return this.count > 1 ? Math.sqrt(this.m2 / (this.count - 1)) : 0;
  }
}

/**
 * Quantiles: exact (linear interpolation between order statistics, as numpy and pandas) for up
 * to `exactLimit` values, then a merging t-digest.
 */
export class QuantileSketch {
  private exact: number[] | null = [];
  private digest: MergingDigest | null = null;
  private sortedUpTo = -1;

  constructor(private readonly exactLimit = 10_000) {}

  add(x: number): void {
    if (this.exact) {
      this.exact.push(x);
      if (this.exact.length > this.exactLimit) {
        this.digest = new MergingDigest();
        for (const v of this.exact) this.digest.add(v);
        this.exact = null;
      }
      return;
    }
    this.digest?.add(x);
  }

  get isExact(): boolean {
    return this.exact !== null;
  }

  private sorted(): number[] | null {
    if (this.exact && this.sortedUpTo !== this.exact.length) {
      this.exact.sort((a, b) => a - b);
      this.sortedUpTo = this.exact.length;
    }
    return this.exact;
  }

  quantile(p: number): number | undefined {
    const sorted = this.sorted();
    if (sorted) {
      if (sorted.length === 0) return undefined;
      const h = (sorted.length - 1) * p;
      const lo = Math.floor(h);
      const a = sorted[lo] ?? 0;
      const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
      return a + (h - lo) * (b - a);
    }
    return this.digest?.quantile(p);
  }

  quantiles(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, p] of Object.entries(QUANTILES)) {
      const q = this.quantile(p);
      if (q !== undefined) out[key] = q;
    }
    return out;
  }

  /** Fraction of values ≤ x (approximate in digest mode). */
  cdf(x: number): number {
    const sorted = this.sorted();
    if (sorted) return upperBound(sorted, x) / Math.max(sorted.length, 1);
    return this.digest ? this.digest.cdf(x) : 0;
  }

  values(): readonly number[] | null {
    return this.sorted();
  }
}

function upperBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Exact counts of a column's numbers while it has at most `cap` distinct ones (then dropped). */
export class SmallValueCounts {
  counts: Map<number, number> | null = new Map();
  constructor(private readonly cap = HISTOGRAM_BINS) {}

  add(x: number): void {
    if (!this.counts) return;
    this.counts.set(x, (this.counts.get(x) ?? 0) + 1);
    if (this.counts.size > this.cap) this.counts = null;
  }
}

/**
 * Value frequencies in bounded memory: exact while there are at most `cap` distinct values; past
 * that, the less frequent half is dropped whenever the map fills (so frequent values keep
 * near-exact counts and the distinct count becomes a lower bound).
 */
export class TopCounter {
  readonly counts = new Map<string, number>();
  overflowed = false;

  constructor(private readonly cap = 10_000) {}

  add(value: string): void {
    const c = this.counts.get(value);
    if (c !== undefined) {
      this.counts.set(value, c + 1);
      return;
    }
    if (this.counts.size >= this.cap) this.prune();
    this.counts.set(value, 1);
  }

  private prune(): void {
    this.overflowed = true;
    const sorted = [...this.counts.values()].sort((a, b) => b - a);
    const threshold = sorted[Math.floor(this.cap / 2)] ?? 0;
    for (const [value, count] of this.counts) if (count <= threshold) this.counts.delete(value);
  }

  /** Exact distinct count, or the cap once overflowed (a lower bound). */
  get distinct(): number {
    return this.overflowed ? this.cap : this.counts.size;
  }

  top(k: number): { value: string; count: number }[] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, k)
      .map(([value, count]) => ({ value, count }));
  }
}

export type Histogram = { edges: number[]; counts: number[] };

/**
 * Bins over [min, max]: one per integer when an integer column spans at most HISTOGRAM_BINS
 * values, else HISTOGRAM_BINS equal-width bins; each bin is [lo, hi), the last one closed. Exact
 * when the values are known (few distinct, or few values), else from the digest's CDF.
 */
export function histogram(input: { min: number; max: number; count: number; integer: boolean; small: SmallValueCounts; sketch: QuantileSketch }): Histogram {
  const { min, max, count, integer, small, sketch } = input;
  if (count === 0) return { edges: [], counts: [] };
  if (min === max) return { edges: [min, max], counts: [count] };
  const perInteger = integer && max - min < HISTOGRAM_BINS;
  const bins = perInteger ? max - min + 1 : HISTOGRAM_BINS;
  const width = perInteger ? 1 : (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins && !perInteger ? max : min + i * width));
  const binOf = (x: number) => Math.min(bins - 1, Math.max(0, Math.floor((x - min) / width)));

  const counts = new Array<number>(bins).fill(0);
  const exactValues = sketch.values();
  if (small.counts) {
    for (const [x, c] of small.counts) counts[binOf(x)] = (counts[binOf(x)] ?? 0) + c;
    return { edges, counts };
  }
  if (exactValues) {
    for (const x of exactValues) counts[binOf(x)] = (counts[binOf(x)] ?? 0) + 1;
    return { edges, counts };
  }
  // From the sketch: counts between consecutive CDF values, rounded, the rounding error put in the largest bin.
  let previous = 0;
  for (let i = 0; i < bins; i++) {
    const next = i === bins - 1 ? 1 : sketch.cdf(edges[i + 1] ?? max);
    counts[i] = Math.max(0, Math.round((next - previous) * count));
    previous = Math.max(previous, next);
  }
  const error = count - counts.reduce((a, b) => a + b, 0);
  const largest = counts.indexOf(Math.max(...counts));
  counts[largest] = Math.max(0, (counts[largest] ?? 0) + error);
  return { edges, counts };
}
