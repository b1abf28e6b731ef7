import type { Cell, DistributionProfile } from "../training/types";

/*
 * Distribution summaries for monitoring: production traffic is later compared with these, so the
 * shape is fixed (quantile names, bin edges) and every number is finite (they are stored as JSON).
 */

export const profileQuantiles = { p01: 0.01, p05: 0.05, p10: 0.1, p25: 0.25, p50: 0.5, p75: 0.75, p90: 0.9, p95: 0.95, p99: 0.99 } as const;
export const histogramBins = 10;
/** Categorical profiles keep this many most frequent values; the rest are counted under `otherCategory`. */
export const maxProfileCategories = 100;
export const otherCategory = "__other__";

const missing = (v: Cell | undefined) => v === null || v === undefined || v === "" || (typeof v === "number" && !Number.isFinite(v));

/**
 * Numeric when every present value is a number (or when asked), else categorical (values by their
 * string form). `count` counts present values, `missing` the others; frequencies are counts.
 */
export function profileDistribution(values: ArrayLike<Cell | undefined>, options: { kind?: DistributionProfile["kind"] } = {}): DistributionProfile {
  const present = Array.from(values).filter((v): v is Exclude<Cell, null> => !missing(v));
  const kind = options.kind ?? (present.every((v) => typeof v === "number") ? "numeric" : "categorical");
  const absent = values.length - present.length;
  if (kind === "numeric") {
    const numbers = present.map(Number).filter(Number.isFinite);
    return numericProfile(numbers, values.length - numbers.length);
  }
  return categoricalProfile(present.map(String), absent);
}

function numericProfile(numbers: number[], missingCount: number): DistributionProfile {
  const sorted = Float64Array.from(numbers).sort();
  const n = sorted.length;
  let mean = 0;
  for (const v of sorted) mean += v;
  mean = n ? mean / n : 0;
  let squares = 0;
  for (const v of sorted) squares += (v - mean) ** 2;
  const quantiles: Record<string, number> = {};
  if (n) for (const [name, q] of Object.entries(profileQuantiles)) quantiles[name] = quantile(sorted, q);
  return { kind: "numeric", count: n, missing: missingCount, mean, std: n ? Math.sqrt(squares / n) : 0, quantiles, histogram: histogram(sorted) };
}

/** Linear interpolation between closest ranks (numpy's default) on sorted values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const a = sorted[lower] as number;
  return a + ((sorted[upper] as number) - a) * (position - lower);
}

/** Equal-width bins over [min, max], the last one closed; a constant gets one bin [v, v]. */
export function histogram(sorted: ArrayLike<number>, bins = histogramBins): { edges: number[]; counts: number[] } {
  const n = sorted.length;
  if (n === 0) return { edges: [], counts: [] };
  const min = sorted[0] as number;
  const max = sorted[n - 1] as number;
  if (min === max) return { edges: [min, max], counts: [n] };
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const bin = Math.min(bins - 1, Math.floor(((sorted[i] as number) - min) / width));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return { edges, counts };
}

function categoricalProfile(values: string[], missingCount: number): DistributionProfile {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // fromEntries, not assignment: a category may be called "__proto__".
  const frequencies: Record<string, number> = Object.fromEntries(ranked.slice(0, maxProfileCategories));
  const rest = ranked.slice(maxProfileCategories).reduce((sum, [, count]) => sum + count, 0);
  if (rest > 0) frequencies[otherCategory] = (frequencies[otherCategory] ?? 0) + rest;
  return { kind: "categorical", count: values.length, missing: missingCount, frequencies };
}
