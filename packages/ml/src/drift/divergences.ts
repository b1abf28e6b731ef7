import { fail, requireNonNegative, requirePositive } from "../stats/guards";
import { binnedShares } from "./binning";
import { presentValues, type DriftCell, type DriftColumnType } from "./column-values";

function pairedVectors(p: number[], q: number[], names: [string, string]): void {
  const [pName, qName] = names;
  if (p.length === 0) fail(pName, "must not be empty");
  if (q.length !== p.length) fail(qName, `has ${q.length} entries for ${p.length} in ${pName}`);
}

/** x·ln(x/y) with scipy.special.rel_entr's conventions: 0 when x = 0, ∞ when only y is 0. */
function relativeEntropyTerm(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Number.POSITIVE_INFINITY;
}

/**
 * Jensen–Shannon *distance* (the square root of the divergence), natural log:
 * scipy.spatial.distance.jensenshannon(p, q). Both vectors are normalised to sum 1 first, so
 * counts work as well as shares. Evidently's "jensenshannon" drift test applies this to
 * `binnedShares(…, { fillEmpty: false })`, with drift when ≥ 0.1.
 */
export function jensenShannonDistance(p: number[], q: number[]): number {
  pairedVectors(p, q, ["p", "q"]);
  p.forEach((v, i) => requireNonNegative(v, `p[${i}]`));
  q.forEach((v, i) => requireNonNegative(v, `q[${i}]`));
  const pSum = p.reduce((s, v) => s + v, 0);
  const qSum = q.reduce((s, v) => s + v, 0);
  if (pSum <= 0) fail("p", "must have a positive sum");
  if (qSum <= 0) fail("q", "must have a positive sum");
  let divergence = 0;
  p.forEach((raw, i) => {
    const pi = raw / pSum;
    const qi = (q[i] ?? 0) / qSum;
    const mi = (pi + qi) / 2;
    divergence += relativeEntropyTerm(pi, mi) + relativeEntropyTerm(qi, mi);
  });
  return Math.sqrt(divergence / 2);
}

/**
 * Population stability index Σ(ref_i − cur_i)·ln(ref_i/cur_i) over matching bins. Every share must
 * be > 0 (the log is undefined otherwise): fill empty bins first, as `binnedShares` does.
 */
export function psi(refShares: number[], curShares: number[]): number {
  pairedVectors(refShares, curShares, ["refShares", "curShares"]);
  refShares.forEach((v, i) => requirePositive(v, `refShares[${i}]`));
  curShares.forEach((v, i) => requirePositive(v, `curShares[${i}]`));
  return refShares.reduce((sum, r, i) => {
    const c = curShares[i] ?? 0;
    return sum + (r - c) * Math.log(r / c);
  }, 0);
}

export type PsiDriftResult = { statistic: number; threshold: number; drifted: boolean };

/** Evidently's PSI threshold; rule of thumb: < 0.1 no shift, 0.1–0.25 moderate, > 0.25 significant. */
export const PSI_THRESHOLD = 0.1;

/**
 * Evidently's "psi" drift test (stattests/psi.py): PSI over `binnedShares` with the empty-bin fill,
 * drift when ≥ 0.1. Missing values are dropped first, as in `columnDrift`.
 */
export function psiDrift(reference: DriftCell[], current: DriftCell[], featureType: DriftColumnType): PsiDriftResult {
  const ref = presentValues(reference, "reference");
  const cur = presentValues(current, "current");
  const shares = binnedShares(ref, cur, { featureType, fillEmpty: true });
  const statistic = psi(shares.reference, shares.current);
  return { statistic, threshold: PSI_THRESHOLD, drifted: statistic >= PSI_THRESHOLD };
}
