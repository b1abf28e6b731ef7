import { describe, expect, it } from "vitest";

import { chiSquareDrift, zTestProportions } from "./categorical-tests";

const invalid = (field: string) => expect.objectContaining({ name: "GantryError", code: "INVALID_INPUT", field });

/*
 * Reference values: scipy 1.17.1 / numpy 2.4.6, following Evidently's stattests/chisquare_stattest.py
 * and z_stattest.py (Evidently itself is not installed here). Re-run with python3:
 *
 *   import numpy as np
 *   from scipy.stats import chisquare, norm
 *   def chi(ref, cur):                     # expected = ref counts · (n_cur / n_ref)
 *       k = sum(cur) / sum(ref)
 *       r = chisquare(cur, [x * k for x in ref])
 *       print(repr(float(r.statistic)), repr(float(r.pvalue)))
 *   chi([120, 80, 50, 30], [100, 95, 40, 45]); chi([500, 300, 200], [180, 330, 290])
 *   chi([40, 30, 30], [41, 29, 30])
 *   def z(ref, cur):                       # share of the non-first category, ref − cur
 *       n1, n2 = sum(ref), sum(cur)
 *       p1, p2 = ref[1] / n1, cur[1] / n2
 *       P = (p1 * n1 + p2 * n2) / (n1 + n2)
 *       zs = (p1 - p2) / np.sqrt(P * (1 - P) * (1 / n1 + 1 / n2))
 *       print(repr(float(zs)), repr(float(2 * (1 - norm.cdf(abs(zs))))))
 *   z([700, 300], [640, 360]); z([45, 55], [52, 48])
 */
describe("chiSquareDrift", () => {
  it.each([
    { ref: [120, 80, 50, 30], cur: [100, 95, 40, 45], statistic: 15.645833333333334, pValue: 0.001340214204179086 },
    { ref: [500, 300, 200], cur: [180, 330, 290], statistic: 260.375, pValue: 2.885938933777638e-57 },
    { ref: [40, 30, 30], cur: [41, 29, 30], statistic: 0.058333333333333334, pValue: 0.9712545752136729 },
  ])("matches scipy.stats.chisquare against scaled reference counts: $ref vs $cur", ({ ref, cur, statistic, pValue }) => {
    const r = chiSquareDrift(ref, cur);
    expect(r.statistic).toBeCloseTo(statistic, 9);
    expect(r.pValue).toBeCloseTo(pValue, 9);
    expect(Math.abs(r.pValue / pValue - 1)).toBeLessThan(1e-6);
  });

  it("is infinite with p = 0 when current has a category the reference never saw (as scipy)", () => {
    expect(chiSquareDrift([50, 50, 0], [40, 40, 20])).toEqual({ statistic: Number.POSITIVE_INFINITY, pValue: 0 });
  });

  it("ignores categories absent from both samples", () => {
    expect(chiSquareDrift([120, 0, 80, 50, 30], [100, 0, 95, 40, 45]).statistic).toBeCloseTo(15.645833333333334, 9);
  });

  it("rejects misaligned or empty counts, naming the field", () => {
    expect(() => chiSquareDrift([1, 2], [1])).toThrow(invalid("curCounts"));
    expect(() => chiSquareDrift([0, 0], [1, 2])).toThrow(invalid("refCounts"));
    expect(() => chiSquareDrift([1, 2.5], [1, 2])).toThrow(invalid("refCounts[1]"));
  });
});

describe("zTestProportions", () => {
  it.each([
    { ref: [700, 300], cur: [640, 360], statistic: -2.8532635032055063, pValue: 0.0043272723659044665 },
    { ref: [45, 55], cur: [52, 48], statistic: 0.9903952718561742, pValue: 0.3219809555681672 },
  ])("matches Evidently's pooled z-test: $ref vs $cur", ({ ref, cur, statistic, pValue }) => {
    const r = zTestProportions(ref, cur);
    expect(r.statistic).toBeCloseTo(statistic, 9);
    expect(r.pValue).toBeCloseTo(pValue, 9);
  });

  it("returns p = 1 when both samples hold the same single category (Evidently's special case)", () => {
    expect(zTestProportions([30, 0], [12, 0])).toEqual({ statistic: 0, pValue: 1 });
  });

  it("refuses more than two categories", () => {
    expect(() => zTestProportions([1, 2, 3], [3, 2, 1])).toThrow(invalid("refCounts"));
  });
});
