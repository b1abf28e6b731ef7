import gammaln from "@stdlib/math-base-special-gammaln";

import { durbinMatrixCdf, pomeranzCdf } from "./kolmogorov-matrix";

/*
 * Survival function of the two-sided one-sample Kolmogorov–Smirnov statistic D_n, i.e.
 * scipy.stats.kstwo.sf(d, n), which ks_2samp uses on its asymptotic path. stdlib has no such
 * distribution (only a one-sample KS test), so this is a port of scipy 1.17.1
 * scipy/stats/_ksstats.py `_kolmogn(n, x, cdf=False)`: the method choice of Simard & L'Ecuyer
 * (2011) between Ruben–Gambino closed forms, Durbin/MTW and Pomeranz (exact), Pelz–Good
 * (asymptotic) and 2·smirnov (exact one-sided, valid alone once the two tails cannot overlap).
 */

const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const MIN_LOG = -708;
const SQRT3 = Math.sqrt(3);
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
// Stirling series coefficients B_{2j}/(2j)/(2j−1), j = 8 … 1 (scipy's _STIRLING_COEFFS, as doubles).
const STIRLING = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417, -0.0005952380952380953,
  0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
];

const clip01 = (p: number): number => Math.min(1, Math.max(0, p));

/** log(n!/nⁿ) by Stirling, with n·log(n) removed up front to avoid cancellation. */
function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  const x = rn / n;
  const series = STIRLING.reduce((acc, c) => acc * x + c, 0);
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * series;
}

/**
 * One-sided Smirnov survival Pr(D_n⁺ ≥ x) (scipy.special.smirnov), by the exact Birnbaum–Tingey
 * sum  x·Σ_{j=0}^{⌊n(1−x)⌋} C(n,j)(1 − x − j/n)^{n−j}(x + j/n)^{j−1},  each term in log space.
 * All terms are positive, so there is no cancellation; scipy's C routine evaluates the same sum.
 */
export function smirnovSurvival(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  if (n === 1) return x === 0 ? 1 : 1 - x;
  const logX = Math.log(x);
  const logNFact = gammaln(n + 1);
  const last = Math.floor(n * (1 - x));
  let sum = 0;
  for (let j = 0; j <= last; j++) {
    const left = 1 - x - j / n;
    if (left <= 0) continue;
    const logTerm =
      logNFact - gammaln(j + 1) - gammaln(n - j + 1) + (n - j) * Math.log(left) + (j - 1) * Math.log(x + j / n) + logX;
    sum += Math.exp(logTerm);
  }
  return clip01(sum);
}

/** Pelz & Good (1976): Pr(D_n ≤ x) from the Li-Chien/Korolyuk expansion, for small n·x². */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);

  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  // Horner scheme over odd m = 2k − 1 of Σ c_m q^(m²).
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qpower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = (K[i] ?? 0) * qpower + (coeffs[i] ?? 0);
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = ((K[i] ?? 0) * q * SQRT2PI) / (divisors[i] ?? 1);

  // The remaining sums over all integers k, where little cancellation is expected.
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = SQRT3 * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    const kpi = Math.PI * k;
    k2extra += k2 * qp;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2] = (K[2] ?? 0) + (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] = (K[3] ?? 0) + (k3extra * PI2 * SQRT2PI) / (216 * z6);
  return K.reduce((acc, value, i) => acc + value / n ** (i / 2), 0);
}

/** Pr(D_n ≥ x) for the two-sided one-sample KS statistic: scipy.stats.kstwo.sf(x, n). */
export function kolmogorovSurvival(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben–Gambino: 1/(2n) ≤ x ≤ 1/n.
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnovSurvival(n, x));

  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip01(1 - durbinMatrixCdf(n, x));
    if (nx2 <= 4) return clip01(1 - pomeranzCdf(n, x));
    return clip01(2 * smirnovSurvival(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip01(2 * smirnovSurvival(n, x));
  let cdf: number;
  if (nx2 >= 18) cdf = 1;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdf = durbinMatrixCdf(n, x);
  else cdf = pelzGoodCdf(n, x);
  return clip01(1 - cdf);
}
