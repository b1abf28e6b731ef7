import { describe, expect, it } from "vitest";

import { MergingDigest } from "./digest";
import { seededRandom } from "../random";

/** How far, in rank (fraction of n), the estimate is from the true quantile. */
function rankError(sorted: Float64Array, p: number, estimate: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < estimate) lo = mid + 1;
    else hi = mid;
  }
  return Math.abs(lo / sorted.length - p);
}

describe("MergingDigest", () => {
  const n = 200_000;
  const next = seededRandom(7);
  const datasets: Record<string, Float64Array> = {
    uniform: Float64Array.from({ length: n }, () => next() * 1000),
    // Log-normal: a long right tail.
    skewed: Float64Array.from({ length: n }, () => Math.exp(Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next()))),
    sorted: Float64Array.from({ length: n }, (_, i) => i),
    reversed: Float64Array.from({ length: n }, (_, i) => n - i),
    fewValues: Float64Array.from({ length: n }, (_, i) => i % 7),
  };

  it.each(Object.keys(datasets))("estimates quantiles of %s data within 0.5% of rank (0.1% in the tails)", (name) => {
    const data = datasets[name] ?? new Float64Array();
    const digest = new MergingDigest();
    for (const x of data) digest.add(x);
    const sorted = Float64Array.from(data).sort();
    expect(digest.min).toBe(sorted[0]);
    expect(digest.max).toBe(sorted[n - 1]);
    for (const p of [0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999]) {
      const q = digest.quantile(p) ?? Number.NaN;
      const tolerance = p < 0.02 || p > 0.98 ? 0.001 : 0.005;
      if (name === "fewValues") expect(q).toBeCloseTo(sorted[Math.min(n - 1, Math.floor(p * n))] ?? 0, 0);
      else expect(rankError(sorted, p, q), `p=${p}`).toBeLessThan(tolerance);
    }
  });

  it("answers a CDF consistent with its quantiles", () => {
    const digest = new MergingDigest();
    for (const x of datasets.uniform ?? []) digest.add(x);
    for (const p of [0.1, 0.5, 0.9]) expect(digest.cdf(digest.quantile(p) ?? 0)).toBeCloseTo(p, 2);
    expect(digest.cdf(-1)).toBe(0);
    expect(digest.cdf(10_000)).toBe(1);
  });

  it("handles one value and no value", () => {
    const digest = new MergingDigest();
    expect(digest.quantile(0.5)).toBeUndefined();
    digest.add(3);
    expect(digest.quantile(0.01)).toBe(3);
    expect(digest.quantile(0.99)).toBe(3);
    expect(digest.count).toBe(1);
  });
});
