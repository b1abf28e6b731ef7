import { describe, expect, it } from "vitest";

import { histogram, maxProfileCategories, otherCategory, profileDistribution, quantile } from "./distribution";

describe("profileDistribution", () => {
  it("numeric: count, missing, mean, population std, quantiles, 10 equal-width bins", () => {
    const values = [...Array.from({ length: 101 }, (_, i) => i), null, Number.NaN];
    const profile = profileDistribution(values);
    if (profile.kind !== "numeric") throw new Error("expected numeric");
    expect(profile.count).toBe(101);
    expect(profile.missing).toBe(2);
    expect(profile.mean).toBe(50);
    expect(profile.std).toBeCloseTo(Math.sqrt(850), 12); // Σ(i − 50)² / 101 over 0…100
    expect(profile.quantiles).toEqual({ p01: 1, p05: 5, p10: 10, p25: 25, p50: 50, p75: 75, p90: 90, p95: 95, p99: 99 });
    expect(profile.histogram.edges).toHaveLength(11);
    expect(profile.histogram.edges[0]).toBe(0);
    expect(profile.histogram.edges[10]).toBe(100);
    expect(profile.histogram.counts).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 11]);
  });

  it("quantile interpolates linearly between ranks, as numpy.percentile's default", () => {
    // numpy.percentile([1, 2, 3, 4], [25, 50, 90]) → [1.75, 2.5, 3.7]
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
  });

  it("a constant gets one bin; no values give an empty summary", () => {
    expect(histogram([4, 4, 4])).toEqual({ edges: [4, 4], counts: [3] });
    expect(profileDistribution([null, null], { kind: "numeric" })).toEqual({
      kind: "numeric",
      count: 0,
      missing: 2,
      mean: 0,
      std: 0,
      quantiles: {},
      histogram: { edges: [], counts: [] },
    });
  });

  it("categorical: counts by value (booleans and numbers by their text), the rarest folded into other", () => {
    expect(profileDistribution(["a", "b", "a", null, "", true, 3])).toEqual({
      kind: "categorical",
      count: 5,
      missing: 2,
      frequencies: { a: 2, b: 1, "3": 1, true: 1 },
    });
    const many = Array.from({ length: maxProfileCategories + 5 }, (_, i) => `v${i}`);
    const profile = profileDistribution(many);
    if (profile.kind !== "categorical") throw new Error("expected categorical");
    expect(Object.keys(profile.frequencies)).toHaveLength(maxProfileCategories + 1);
    expect(profile.frequencies[otherCategory]).toBe(5);
  });
});
