import { fail } from "../stats/guards";
import { kolmogorovSurvival } from "./kolmogorov";

/*
 * Two-sample Kolmogorov–Smirnov test, two-sided, as scipy.stats.ks_2samp(reference, current) with
 * its default method="auto" (scipy 1.17.1, scipy/stats/_stats_py.py):
 *  - exact when both samples have ≤ 10 000 values: the statistic is snapped to h/lcm(n₁, n₂) and
 *    the p-value counts lattice paths (Hodges 1958) — `_compute_prob_outside_square` for equal
 *    sizes, `_compute_outer_prob_inside_method` otherwise (Viehmann 2021's recursion for 1 − p);
 *  - asymptotic otherwise: p = kstwo.sf(D, round(n₁n₂/(n₁+n₂))).
 * Evidently's "ks" drift test is this p-value, with drift when p < 0.05.
 */

export type KsTwoSampleResult = {
  /** D = sup |F_ref − F_cur|. */
  statistic: number;
  pValue: number;
  /** Which of scipy's paths produced the p-value. */
  method: "exact" | "asymptotic";
};

/** scipy's `method="auto"` uses the exact distribution up to this many values per sample. */
const MAX_EXACT_N = 10000;

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** numpy.round: half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function sortedFinite(values: number[], field: string): number[] {
  if (values.length === 0) fail(field, "must not be empty");
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) fail(`${field}[${i}]`, `must be a finite number, got ${v}`);
  });
  return [...values].sort((a, b) => a - b);
}

/** Pr(D_{n,n} ≥ h/n): 2·Σ ±binom(2n, n − kh)/binom(2n, n), evaluated Horner-style as scipy does. */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * Share of lattice paths (0,0)→(m,n) that leave the band |x/m − y/n| < h/lcm(m,n): the recursion
 * keeps, per cell, the probability that a uniformly drawn path to it has already left the band.
 */
function probOutsideBand(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const A = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = ((A[jj + minj - lastminj] ?? 0) * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1] ?? Number.NaN;
}

export function ksTwoSample(reference: number[], current: number[]): KsTwoSampleResult {
  const x = sortedFinite(reference, "reference");
  const y = sortedFinite(current, "current");
  const n1 = x.length;
  const n2 = y.length;

  // Walk the merged order once; at each distinct value both ECDFs are counts of values ≤ it.
  let i = 0;
  let j = 0;
  let maxS = Number.NEGATIVE_INFINITY;
  let minDiff = Number.POSITIVE_INFINITY;
  while (i < n1 || j < n2) {
    const v = Math.min(x[i] ?? Number.POSITIVE_INFINITY, y[j] ?? Number.POSITIVE_INFINITY);
    while (i < n1 && x[i] === v) i++;
    while (j < n2 && y[j] === v) j++;
    const diff = i / n1 - j / n2;
    maxS = Math.max(maxS, diff);
    minDiff = Math.min(minDiff, diff);
  }
  const minS = Math.min(1, Math.max(0, -minDiff));
  let d = minS > maxS ? minS : maxS;

  if (Math.max(n1, n2) <= MAX_EXACT_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method: "exact" };
    const prob = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
    // scipy falls back to the asymptotic distribution (keeping the snapped d) when this fails.
    if (prob >= 0 && prob <= 1) return { statistic: d, pValue: prob, method: "exact" };
  }

  const big = Math.max(n1, n2);
  const small = Math.min(n1, n2);
  const en = (big * small) / (big + small);
  const pValue = Math.min(1, Math.max(0, kolmogorovSurvival(roundHalfEven(en), d)));
  return { statistic: d, pValue, method: "asymptotic" };
}
