import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantileOf from "@stdlib/stats-base-dists-normal-quantile";
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";

/*
 * The distribution functions come from stdlib (https://stdlib.io), not from hand-written
 * approximations; this file only fixes the parameterisation used by the A/B statistics.
 */

/** Φ(x), the standard normal CDF. */
export const standardNormalCdf = (x: number): number => normalCdf(x, 0, 1);

/** Φ⁻¹(p). */
export const standardNormalQuantile = (p: number): number => normalQuantileOf(p, 0, 1);

/** Two-sided p-value of a z statistic: 2·Φ(−|z|) (computed in the lower tail to keep precision). */
export const twoSidedNormalP = (z: number): number => Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));

/** Two-sided p-value of a t statistic with `df` degrees of freedom: 2·F_t(−|t|; df). */
export const twoSidedStudentP = (t: number, df: number): number => Math.min(1, 2 * tCdf(-Math.abs(t), df));

/** F_t⁻¹(p; df). */
export const studentQuantile = (p: number, df: number): number => tQuantile(p, df);

/** P(χ²_df ≥ x). */
export const chiSquareSurvival = (x: number, df: number): number => Math.max(0, 1 - chisquareCdf(x, df));
