import { describe, expect, it } from "vitest";

import { meanSummaryFromSums, welchTTest } from "./means";

const invalid = (field: string) => expect.objectContaining({ name: "GantryError", code: "INVALID_INPUT", field });

/*
 * Reference values: scipy 1.17.1 / numpy 2.4.6 (re-run with python3):
 *
 *   import numpy as np
 *   from scipy.stats import ttest_ind_from_stats, ttest_ind, t as T, norm
 *   def welch(c, tr, alpha):
 *       (nc, mc, vc), (nt, mt, vt) = c, tr
 *       r = ttest_ind_from_stats(mt, np.sqrt(vt), nt, mc, np.sqrt(vc), nc, equal_var=False)
 *       a, b = vt/nt, vc/nc
 *       df = (a+b)**2/(a**2/(nt-1) + b**2/(nc-1))   # ttest_ind_from_stats does not expose df
 *       assert abs(2*T.sf(abs(r.statistic), df) - r.pvalue) < 1e-15
 *       se = np.sqrt(a+b); q = T.ppf(1-alpha/2, df); d = mt-mc
 *       vr = vc*mt**2/(mc**4*nc) + vt/(mc**2*nt); rel = mt/mc-1
 *       print(dict(t=r.statistic, df=df, p=r.pvalue, abs=(d, d-q*se, d+q*se),
 *                  rel=(rel, rel-q*np.sqrt(vr), rel+q*np.sqrt(vr)), ctbc=norm.cdf(d/se)))
 *   welch((523, 12.4, 9.61), (611, 12.9, 12.25), 0.05)
 *   # raw data: ttest_ind exposes df and the CI directly
 *   c = np.array([3.5, 1.25, 7.0, 2.0, 4.75, 0.5]); tr = np.array([6.0, 4.5, 9.25, 3.0, 7.5, 5.25, 8.0])
 *   r = ttest_ind(tr, c, equal_var=False)
 *   print(len(c), c.sum(), (c**2).sum(), len(tr), tr.sum(), (tr**2).sum())
 *   print(c.mean(), c.var(ddof=1), tr.mean(), tr.var(ddof=1))
 *   print(r.statistic, r.df, r.pvalue, r.confidence_interval(0.95))
 *   welch((len(c), c.mean(), c.var(ddof=1)), (len(tr), tr.mean(), tr.var(ddof=1)), 0.05)
 */
describe("welchTTest", () => {
  it("matches scipy.stats.ttest_ind_from_stats(equal_var=False) and the t.ppf intervals", () => {
    const r = welchTTest({
      control: { n: 523, mean: 12.4, variance: 9.61 },
      treatment: { n: 611, mean: 12.9, variance: 12.25 },
      alpha: 0.05,
    });
    expect(r.t).toBeCloseTo(2.55075944837709, 6);
    expect(r.df).toBeCloseTo(1130.6723555802832, 6);
    expect(r.pValue).toBeCloseTo(0.01087972251618578, 6);
    expect(r.absolute.effect).toBeCloseTo(0.5, 6);
    expect(r.absolute.ci[0]).toBeCloseTo(0.11539605350729604, 6);
    expect(r.absolute.ci[1]).toBeCloseTo(0.884603946492704, 6);
    expect(r.relative?.effect).toBeCloseTo(0.040322580645161255, 6);
    expect(r.relative?.ci[0]).toBeCloseTo(0.00870187873780897, 6);
    expect(r.relative?.ci[1]).toBeCloseTo(0.07194328255251353, 6);
    expect(r.chanceToBeatControl).toBeCloseTo(0.9946255756727386, 6);
  });

  it("small samples, from SQL-style sums, match scipy.stats.ttest_ind on the raw values (t, df, p, CI)", () => {
    const control = meanSummaryFromSums({ n: 6, sum: 19.0, sumSquares: 89.625 });
    const treatment = meanSummaryFromSums({ n: 7, sum: 43.5, sumSquares: 298.625 });
    expect(control.mean).toBeCloseTo(3.1666666666666665, 12);
    expect(control.variance).toBeCloseTo(5.8916666666666675, 12);
    expect(treatment.mean).toBeCloseTo(6.214285714285714, 12);
    expect(treatment.variance).toBeCloseTo(4.717261904761905, 12);

    const r = welchTTest({ control, treatment });
    expect(r.t).toBeCloseTo(2.368381310481803, 6);
    expect(r.df).toBeCloseTo(10.21034079599976, 6);
    expect(r.pValue).toBeCloseTo(0.038901486501401315, 6);
    expect(r.absolute.ci[0]).toBeCloseTo(0.18844928699019814, 6);
    expect(r.absolute.ci[1]).toBeCloseTo(5.906788808247898, 6);
    expect(r.relative?.effect).toBeCloseTo(0.9624060150375942, 6);
    expect(r.relative?.ci[0]).toBeCloseTo(-0.5186512604683327, 6);
    expect(r.relative?.ci[1]).toBeCloseTo(2.443463290543521, 6);
    expect(r.chanceToBeatControl).toBeCloseTo(0.9910669440954971, 6);
  });

  it("zero variance in one arm is fine (df = n − 1 of the other); in both arms it is INVALID_INPUT", () => {
    const r = welchTTest({ control: { n: 50, mean: 1, variance: 0 }, treatment: { n: 40, mean: 1.2, variance: 0.25 } });
    expect(r.df).toBeCloseTo(39, 12);
    expect(() =>
      welchTTest({ control: { n: 50, mean: 1, variance: 0 }, treatment: { n: 40, mean: 1.2, variance: 0 } }),
    ).toThrow(invalid("control.variance"));
  });

  it("rejects arms with fewer than 2 units, negative variances, non-finite means", () => {
    const ok = { n: 10, mean: 1, variance: 1 };
    expect(() => welchTTest({ control: { ...ok, n: 0 }, treatment: ok })).toThrow(invalid("control.n"));
    expect(() => welchTTest({ control: ok, treatment: { ...ok, n: 1 } })).toThrow(invalid("treatment.n"));
    expect(() => welchTTest({ control: ok, treatment: { ...ok, variance: -1 } })).toThrow(invalid("treatment.variance"));
    expect(() => welchTTest({ control: { ...ok, mean: Number.NaN }, treatment: ok })).toThrow(invalid("control.mean"));
  });

  it("a zero control mean leaves the relative lift undefined (null), the absolute one intact", () => {
    const r = welchTTest({ control: { n: 30, mean: 0, variance: 1 }, treatment: { n: 30, mean: 0.5, variance: 1 } });
    expect(r.relative).toBeNull();
    expect(r.absolute.effect).toBe(0.5);
  });
});

describe("meanSummaryFromSums", () => {
  it("clamps the cancellation error of a constant metric to a zero variance", () => {
    const s = meanSummaryFromSums({ n: 3, sum: 0.3, sumSquares: 0.03 });
    expect(s.mean).toBeCloseTo(0.1, 15);
    expect(s.variance).toBeGreaterThanOrEqual(0);
    expect(s.variance).toBeLessThan(1e-15);
  });

  it("needs at least 2 units", () => {
    expect(() => meanSummaryFromSums({ n: 1, sum: 1, sumSquares: 1 })).toThrow(invalid("n"));
    expect(() => meanSummaryFromSums({ n: 0, sum: 0, sumSquares: 0 })).toThrow(invalid("n"));
  });
});
