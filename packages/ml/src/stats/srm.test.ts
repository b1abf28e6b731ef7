import { describe, expect, it } from "vitest";

import { sampleRatioMismatch } from "./srm";

const invalid = (field: string) => expect.objectContaining({ name: "GantryError", code: "INVALID_INPUT", field });

/*
 * Reference values: scipy 1.17.1 / numpy 2.4.6 (re-run with python3):
 *
 *   from scipy.stats import chisquare
 *   import numpy as np
 *   for obs, w in [([10210, 9790], [50, 50]), ([3350, 3300, 3450], [1, 1, 1]), ([9130, 870], [0.9, 0.1])]:
 *       obs = np.array(obs, float); w = np.array(w, float)
 *       exp = obs.sum()*w/w.sum()
 *       r = chisquare(obs, exp)
 *       print(obs, exp, r.statistic, r.pvalue)
 */
const references = [
  { observed: [10210, 9790], weights: [50, 50], expected: [10000, 10000], chi2: 8.82, pValue: 0.002979466656332983, flagged: false },
  {
    observed: [3350, 3300, 3450],
    weights: [1, 1, 1],
    expected: [3366.66666667, 3366.66666667, 3366.66666667],
    chi2: 3.4653465346534658,
    pValue: 0.17681111425401447,
    flagged: false,
  },
  { observed: [9130, 870], weights: [0.9, 0.1], expected: [9000, 1000], chi2: 18.777777777777775, pValue: 1.4686847673789387e-5, flagged: true },
];

describe("sampleRatioMismatch", () => {
  it.each(references)("matches scipy.stats.chisquare for %#", (ref) => {
    const r = sampleRatioMismatch({ observed: ref.observed, weights: ref.weights });
    expect(r.chi2).toBeCloseTo(ref.chi2, 6);
    expect(r.df).toBe(ref.observed.length - 1);
    expect(r.pValue).toBeCloseTo(ref.pValue, 6);
    // p values this small are compared relatively too: 1e-6 absolute says little about 1.5e-5.
    expect(Math.abs(r.pValue / ref.pValue - 1)).toBeLessThan(1e-6);
    expect(r.flagged).toBe(ref.flagged);
    r.expected.forEach((e, i) => expect(e).toBeCloseTo(ref.expected[i] ?? Number.NaN, 6));
  });

  it("flags at p < threshold: 8.82 on 1 df (p ≈ 0.003) passes at 0.001 and fails at 0.01", () => {
    expect(sampleRatioMismatch({ observed: [10210, 9790], weights: [1, 1], threshold: 0.01 }).flagged).toBe(true);
    // the critical χ² at 0.001 on 1 df is 10.83 (spec §5)
    expect(sampleRatioMismatch({ observed: [10233, 9767], weights: [1, 1] }).chi2).toBeCloseTo(10.8578, 4);
    expect(sampleRatioMismatch({ observed: [10233, 9767], weights: [1, 1] }).flagged).toBe(true);
  });

  it("no units, mismatched lengths, zero weights and a single arm are INVALID_INPUT", () => {
    expect(() => sampleRatioMismatch({ observed: [0, 0], weights: [1, 1] })).toThrow(invalid("observed"));
    expect(() => sampleRatioMismatch({ observed: [5], weights: [1] })).toThrow(invalid("observed"));
    expect(() => sampleRatioMismatch({ observed: [5, 5], weights: [1] })).toThrow(invalid("weights"));
    expect(() => sampleRatioMismatch({ observed: [5, 5], weights: [1, 0] })).toThrow(invalid("weights[1]"));
    expect(() => sampleRatioMismatch({ observed: [5, -1], weights: [1, 1] })).toThrow(invalid("observed[1]"));
  });
});
