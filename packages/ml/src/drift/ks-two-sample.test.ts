import { describe, expect, it } from "vitest";

import { kolmogorovSurvival } from "./kolmogorov";
import { ksTwoSample } from "./ks-two-sample";
import { seededNormals } from "./seeded-samples";

const invalid = (field: string) => expect.objectContaining({ name: "GantryError", code: "INVALID_INPUT", field });

/*
 * Reference values: scipy 1.17.1 / numpy 2.4.6, scipy.stats.ks_2samp with its default
 * method="auto" (exact up to 10 000 values per sample). Re-run with python3:
 *
 *   from scipy.stats import ks_2samp, kstwo
 *   # uniforms()/normals(): the Park–Miller + Irwin–Hall port printed in seeded-samples.ts
 *   a = [0.61, -1.2, 0.33, 2.05, -0.47, 1.18, 0.02, -0.88]
 *   b = [1.4, 0.95, 2.6, 0.12, 1.77, -0.35, 2.21, 1.03, 0.58, 3.1]
 *   c = [1, 2, 2, 3, 3, 3, 3, 5]
 *   d = [2, 3, 3, 4, 4, 4, 5, 6, 6, 7]
 *   e = [0.3, 1.1, -0.4, 0.9, 2.2, -1.3, 0.0, 0.7, 1.6, -0.2]
 *   f = [1.3, 2.1, 0.6, 1.9, 3.2, -0.3, 1.0, 1.7, 2.6, 0.8]
 *   for r in [ks_2samp(a, b), ks_2samp(c, d), ks_2samp(e, f),
 *             ks_2samp(normals(3, 2000), normals(5, 3000, 0.1)),
 *             ks_2samp(normals(7, 12000), normals(11, 10500, 0.03)),
 *             ks_2samp(normals(7, 12000), normals(11, 10500, 0.1)),
 *             ks_2samp(a, a)]:
 *       print(repr(float(r.statistic)), repr(float(r.pvalue)))
 */
const a = [0.61, -1.2, 0.33, 2.05, -0.47, 1.18, 0.02, -0.88];
const b = [1.4, 0.95, 2.6, 0.12, 1.77, -0.35, 2.21, 1.03, 0.58, 3.1];

describe("ksTwoSample", () => {
  it.each([
    { name: "8 vs 10, no ties", ref: a, cur: b, statistic: 0.45, pValue: 0.2475433063668358 },
    { name: "8 vs 10, with ties", ref: [1, 2, 2, 3, 3, 3, 3, 5], cur: [2, 3, 3, 4, 4, 4, 5, 6, 6, 7], statistic: 0.575, pValue: 0.07043283513871751 },
    {
      name: "10 vs 10 (equal sizes)",
      ref: [0.3, 1.1, -0.4, 0.9, 2.2, -1.3, 0.0, 0.7, 1.6, -0.2],
      cur: [1.3, 2.1, 0.6, 1.9, 3.2, -0.3, 1.0, 1.7, 2.6, 0.8],
      statistic: 0.4,
      pValue: 0.41752365281777043,
    },
  ])("matches scipy's exact path: $name", ({ ref, cur, statistic, pValue }) => {
    const r = ksTwoSample(ref, cur);
    expect(r.method).toBe("exact");
    expect(r.statistic).toBeCloseTo(statistic, 12);
    expect(r.pValue).toBeCloseTo(pValue, 10);
  });

  it("is symmetric in its arguments", () => {
    const forward = ksTwoSample(a, b);
    const backward = ksTwoSample(b, a);
    expect(backward.statistic).toBe(forward.statistic);
    expect(backward.pValue).toBeCloseTo(forward.pValue, 12);
  });

  it("stays exact for 2,000 vs 3,000 values, as scipy's auto does below 10,000", () => {
    const r = ksTwoSample(seededNormals(3, 2000), seededNormals(5, 3000, 0.1));
    expect(r.method).toBe("exact");
    expect(r.statistic).toBeCloseTo(0.057, 12);
    expect(r.pValue).toBeCloseTo(0.0007976214146910711, 9);
  });

  it.each([
    { shift: 0.03, statistic: 0.01846428571428571, pValue: 0.043381349869078156 },
    { shift: 0.1, statistic: 0.04391666666666666, pValue: 8.005660339173294e-10 },
  ])("matches scipy's asymptotic path above 10,000 values (shift $shift)", ({ shift, statistic, pValue }) => {
    const r = ksTwoSample(seededNormals(7, 12000), seededNormals(11, 10500, shift));
    expect(r.method).toBe("asymptotic");
    expect(r.statistic).toBeCloseTo(statistic, 12);
    expect(r.pValue).toBeCloseTo(pValue, 9);
  });

  it("gives D = 0 and p = 1 for identical samples", () => {
    expect(ksTwoSample(a, [...a])).toEqual({ statistic: 0, pValue: 1, method: "exact" });
  });

  it("rejects empty or non-finite samples, naming the field", () => {
    expect(() => ksTwoSample([], b)).toThrow(invalid("reference"));
    expect(() => ksTwoSample(a, [1, Number.NaN])).toThrow(invalid("current[1]"));
  });
});

/*
 * scipy.stats.kstwo.sf(x, n), one point per branch of scipy's _kolmogn (scipy 1.17.1):
 *
 *   for n, x in [(10, 0.2), (50, 0.2), (100, 0.3), (5000, 0.012), (5000, 0.004),
 *                (200000, 0.002), (3, 0.3), (400, 0.6)]:
 *       print(n, x, repr(float(kstwo.sf(x, n))))
 */
describe("kolmogorovSurvival", () => {
  it.each([
    { n: 10, x: 0.2, sf: 0.7487190399999999, branch: "Durbin matrix (n ≤ 140)" },
    { n: 50, x: 0.2, sf: 0.03143877776953241, branch: "Pomeranz" },
    { n: 100, x: 0.3, sf: 1.7719869892662917e-8, branch: "2·smirnov (n ≤ 140)" },
    { n: 5000, x: 0.012, sf: 0.4639912166690192, branch: "Pelz–Good" },
    { n: 5000, x: 0.004, sf: 0.9999977369528622, branch: "Durbin matrix (large n)" },
    { n: 200000, x: 0.002, sf: 0.39995085369038097, branch: "Pelz–Good (n > 100 000)" },
    { n: 3, x: 0.3, sf: 0.8862222222222222, branch: "Ruben–Gambino" },
    { n: 400, x: 0.6, sf: 3.166177454421944e-138, branch: "2·smirnov (x ≥ 0.5)" },
  ])("matches kstwo.sf($x, $n): $branch", ({ n, x, sf }) => {
    const got = kolmogorovSurvival(n, x);
    expect(got).toBeCloseTo(sf, 9);
    if (sf > 0) expect(Math.abs(got / sf - 1)).toBeLessThan(1e-6);
  });

  it("is 1 at and below 1/(2n) and 0 at 1", () => {
    expect(kolmogorovSurvival(10, 0.05)).toBe(1);
    expect(kolmogorovSurvival(10, 1)).toBe(0);
  });
});
