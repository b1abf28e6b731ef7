import gammainc from "@stdlib/math-base-special-gammainc";

import { twoSidedNormalP } from "../stats/distributions";
import { fail, requireCount } from "../stats/guards";

export type DriftTestResult = { statistic: number; pValue: number };

/** Category counts of both samples, aligned, with categories absent from both removed. */
function alignedCounts(refCounts: number[], curCounts: number[]): { ref: number[]; cur: number[] } {
  if (refCounts.length === 0) fail("refCounts", "must have at least one category");
  if (curCounts.length !== refCounts.length) fail("curCounts", `has ${curCounts.length} categories for ${refCounts.length} in refCounts`);
  refCounts.forEach((c, i) => requireCount(c, `refCounts[${i}]`));
  curCounts.forEach((c, i) => requireCount(c, `curCounts[${i}]`));
  const ref: number[] = [];
  const cur: number[] = [];
  refCounts.forEach((r, i) => {
    const c = curCounts[i] ?? 0;
    if (r + c > 0) {
      ref.push(r);
      cur.push(c);
    }
  });
  if (ref.reduce((s, v) => s + v, 0) === 0) fail("refCounts", "has no observations");
  if (cur.reduce((s, v) => s + v, 0) === 0) fail("curCounts", "has no observations");
  return { ref, cur };
}

/** P(χ²_df ≥ x) through the regularized upper incomplete gamma, which keeps tiny p-values. */
export function chiSquareSf(x: number, df: number): number {
  if (x === Number.POSITIVE_INFINITY) return 0;
  return gammainc(x / 2, df / 2, true, true);
}

/**
 * Evidently's "chisquare" drift test (stattests/chisquare_stattest.py): the current counts against
 * the reference proportions scaled to the current total,
 *   E_k = ref_k·(N_cur/N_ref),  χ² = Σ(cur_k − E_k)²/E_k,  p = P(χ²_{K−1} ≥ χ²)
 * i.e. scipy.stats.chisquare(f_obs=cur, f_exp=E). A category that is new in current (E_k = 0) makes
 * χ² infinite and p = 0, as in scipy. With a single category there is nothing to test: χ² = 0,
 * p = 1 (scipy would return NaN with 0 degrees of freedom).
 */
export function chiSquareDrift(refCounts: number[], curCounts: number[]): DriftTestResult {
  const { ref, cur } = alignedCounts(refCounts, curCounts);
  if (ref.length < 2) return { statistic: 0, pValue: 1 };
  const refTotal = ref.reduce((s, v) => s + v, 0);
  const curTotal = cur.reduce((s, v) => s + v, 0);
  const kNorm = curTotal / refTotal;
  let statistic = 0;
  ref.forEach((r, i) => {
    const expected = r * kNorm;
    const diff = (cur[i] ?? 0) - expected;
    statistic += expected === 0 ? Number.POSITIVE_INFINITY : (diff * diff) / expected;
  });
  return { statistic, pValue: chiSquareSf(statistic, ref.length - 1) };
}

/**
 * Evidently's "z" drift test (stattests/z_stattest.py) for a column with at most two categories:
 * a pooled two-proportion z-test on the share of the category that is *not* the first in sorted
 * order (Evidently codes keys[0] as 0 and everything else as 1), reference minus current:
 *   z = (p_ref − p_cur)/√(P(1 − P)(1/n_ref + 1/n_cur)),  p = 2Φ(−|z|)
 * Counts are given per category in sorted order. When both samples hold the same single category
 * Evidently returns p = 1; so does this (with z = 0). Evidently writes p as 2(1 − Φ(|z|)); the
 * lower-tail form is the same number without the cancellation for large |z|.
 */
export function zTestProportions(refCounts: number[], curCounts: number[]): DriftTestResult {
  const { ref, cur } = alignedCounts(refCounts, curCounts);
  if (ref.length > 2) fail("refCounts", `the z-test compares two categories, got ${ref.length}`);
  if (ref.length < 2) return { statistic: 0, pValue: 1 };
  const n1 = (ref[0] ?? 0) + (ref[1] ?? 0);
  const n2 = (cur[0] ?? 0) + (cur[1] ?? 0);
  const p1 = (ref[1] ?? 0) / n1;
  const p2 = (cur[1] ?? 0) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const statistic = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic, pValue: twoSidedNormalP(statistic) };
}
