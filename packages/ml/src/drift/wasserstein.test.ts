import { describe, expect, it } from "vitest";

import { wassersteinDistance, wassersteinFromHistograms, wassersteinNormed } from "./wasserstein";

const invalid = (field: string) => expect.objectContaining({ name: "GantryError", code: "INVALID_INPUT", field });

/*
 * Reference values: scipy 1.17.1 / numpy 2.4.6, as Evidently's
 * stattests/wasserstein_distance_norm.py (distance / max(np.std(reference), 0.001)). Re-run:
 *
 *   import numpy as np
 *   from scipy.stats import wasserstein_distance
 *   ref = [1.2, 0.4, 2.2, 1.9, 0.8, 1.1, 3.0, 1.5, 0.9, 1.7]
 *   cur = [1.9, 1.3, 2.8, 2.5, 1.6, 2.2, 3.4, 1.8, 2.0, 2.9, 1.1, 2.6]
 *   print(repr(wasserstein_distance(ref, cur)), repr(wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)))
 *   print(repr(wasserstein_distance([2.0] * 5, [2.0, 2.1, 2.3]) / max(np.std([2.0] * 5), 0.001)))
 *   edges = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
 *   rc = [3, 10, 25, 30, 20, 12]; cc = [1, 6, 18, 30, 28, 17]
 *   mids = [(edges[i] + edges[i + 1]) / 2 for i in range(6)]
 *   m = np.average(mids, weights=rc)
 *   s = np.sqrt(np.average((np.array(mids) - m) ** 2, weights=rc))
 *   wd = wasserstein_distance(mids, mids, rc, cc)
 *   print(repr(wd), repr(wd / max(s, 0.001)))
 */
const ref = [1.2, 0.4, 2.2, 1.9, 0.8, 1.1, 3.0, 1.5, 0.9, 1.7];
const cur = [1.9, 1.3, 2.8, 2.5, 1.6, 2.2, 3.4, 1.8, 2.0, 2.9, 1.1, 2.6];

describe("wassersteinDistance / wassersteinNormed", () => {
  it("matches scipy.stats.wasserstein_distance and Evidently's normalisation", () => {
    expect(wassersteinDistance(ref, cur)).toBeCloseTo(0.7083333333333333, 12);
    expect(wassersteinNormed(ref, cur)).toBeCloseTo(0.9784318913742621, 10);
  });

  it("divides by 0.001 when the reference is constant", () => {
    expect(wassersteinNormed([2, 2, 2, 2, 2], [2.0, 2.1, 2.3])).toBeCloseTo(133.33333333333334, 8);
  });

  it("is 0 for identical samples", () => {
    expect(wassersteinNormed(ref, [...ref].reverse())).toBe(0);
  });

  it("rejects empty or non-finite input, naming the field", () => {
    expect(() => wassersteinNormed([], cur)).toThrow(invalid("u"));
    expect(() => wassersteinNormed(ref, [1, Number.POSITIVE_INFINITY])).toThrow(invalid("v[1]"));
  });
});

describe("wassersteinFromHistograms", () => {
  const edges = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0];
  const refCounts = [3, 10, 25, 30, 20, 12];
  const curCounts = [1, 6, 18, 30, 28, 17];

  it("matches scipy's weighted distance over bin midpoints, normalised by the weighted std", () => {
    expect(wassersteinDistance([0.25, 0.75, 1.25, 1.75, 2.25, 2.75], [0.25, 0.75, 1.25, 1.75, 2.25, 2.75], refCounts, curCounts)).toBeCloseTo(
      0.195,
      12,
    );
    expect(wassersteinFromHistograms(edges, refCounts, curCounts)).toBeCloseTo(0.3092901184300762, 10);
  });

  it("rejects edges and counts that do not line up", () => {
    expect(() => wassersteinFromHistograms([0, 1, 1], [1, 1], [1, 1])).toThrow(invalid("edges[2]"));
    expect(() => wassersteinFromHistograms(edges, [1, 2], curCounts)).toThrow(invalid("refCounts"));
    expect(() => wassersteinFromHistograms(edges, refCounts, [0, 0, 0, 0, 0, 0])).toThrow(invalid("curCounts"));
  });
});
