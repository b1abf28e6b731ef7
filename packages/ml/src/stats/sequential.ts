import { requireFinite, requireNonNegative, requireOpenUnit, requirePositive } from "./guards";

/*
 * Always-valid inference with the mixture sequential probability ratio test (mSPRT) and a normal
 * mixture N(θ₀, τ²) over the effect θ.
 *
 * Formula (spec §5; Johari, Koomen, Pekelis & Walsh, "Always Valid Inference: Continuous
 * Monitoring of A/B Tests", Operations Research 70(3), 2022 — the KDD 2017 "Peeking at A/B tests"
 * paper behind Optimizely's Stats Engine; the same expression is in IFCA-Advanced-Computing/frouros
 * frouros/callbacks/streaming/msprt.py):
 *
 *   Λ_n = √(σ²/(σ² + nτ²)) · exp( n²τ²(θ̂_n − θ₀)² / (2σ²(σ² + nτ²)) )
 *   p_n = min(p_{n−1}, 1/Λ_n),  p_0 = 1;   reject H₀: θ = θ₀ once p_n ≤ α.
 *
 * Here θ̂_n is the estimate (a difference of means or proportions), n the units behind it (both
 * arms together, GrowthBook's convention) and σ² = n·Var(θ̂_n) the per-unit variance, plugged in
 * from the data at each look. With σ² = n·v the n cancels: Λ_n = √(v/(v+τ²))·exp(τ²Δ²/(2v(v+τ²))).
 *
 * Confidence sequence: the θ₀ with Λ_n(θ₀) < 1/α. Taking logs and solving the quadratic in θ₀:
 *
 *   θ̂_n ± √( 2σ²(σ² + nτ²)/(n²τ²) · ln( √((σ² + nτ²)/σ²) / α ) )
 *
 * Mixture variance τ² (units of θ²): either given (`mixtureVariance`, a prior guess of the squared
 * effect size) or, by default, τ² = ρ²σ² with ρ² = (2ln(1/α) + ln(1 + 2ln(1/α)))/S, S =
 * `tuningSampleSize` (default 5,000 units, GrowthBook's default). With that τ² the interval above is
 * exactly the asymptotic confidence sequence of Waudby-Smith et al. (arXiv:2103.06476, used by
 * GrowthBook and quoted in spec §5), θ̂ ± σ̂·√(2(nρ² + 1)/(n²ρ²)·ln(√(nρ² + 1)/α)). Its squared
 * width is ∝ (1 + x)/x·(ln(1 + x) + 2ln(1/α)) with x = nρ², smallest where x = 2ln(1/α) + ln(1 + x);
 * one fixed-point step from x = 2ln(1/α) gives the ρ² above at n = S (the approximation of Howard
 * et al., Ann. Statist. 2021). So: set S to the planned sample (both arms) and keep it fixed for
 * the whole experiment. Because σ² is estimated, validity is asymptotic (large n).
 *
 * A look with Var(θ̂) = 0 (every arm at 0% or 100%) carries no evidence: Λ = 1 and the interval
 * is unbounded, rather than an infinitely confident point.
 */

export type MsprtLook = {
  /** θ̂_n, e.g. p̂_T − p̂_C or x̄_T − x̄_C. */
  estimate: number;
  /** Var(θ̂_n): the squared standard error of the estimate (unpooled). */
  variance: number;
  /** Units behind the estimate, both arms together. */
  n: number;
};

export type MsprtOptions = {
  /** θ₀. Default 0. */
  nullValue?: number;
  /** Level of the confidence sequence, and of the default τ² tuning. Default 0.05. */
  alpha?: number;
  /** τ², in units of θ². When given, `tuningSampleSize` is ignored. */
  mixtureVariance?: number;
  /** S: the sample (both arms) at which the default τ² makes the sequence narrowest. Default 5,000. */
  tuningSampleSize?: number;
};

export type MsprtResult = {
  /** Λ_n, the mixture likelihood ratio (may be Infinity for overwhelming evidence). */
  lambda: number;
  /** min(1, 1/Λ_n): the always-valid p-value of this look alone. */
  pValue: number;
  /** The (1 − α) confidence sequence at this look. */
  ci: [number, number];
  /** The τ² actually used. */
  mixtureVariance: number;
};

export const defaultTuningSampleSize = 5000;

/** ρ² = (2ln(1/α) + ln(1 + 2ln(1/α)))/S. */
export function mixtureRho2(alpha: number, tuningSampleSize: number): number {
  const l = 2 * Math.log(1 / alpha);
  return (l + Math.log(1 + l)) / tuningSampleSize;
}

/** One look of the mSPRT: Λ_n, its p-value and the confidence sequence (see the file comment). */
export function msprtPValue(look: MsprtLook, options: MsprtOptions = {}): MsprtResult {
  const estimate = requireFinite(look.estimate, "estimate");
  const v = requireNonNegative(look.variance, "variance");
  const n = requirePositive(look.n, "n");
  const nullValue = requireFinite(options.nullValue ?? 0, "nullValue");
  const alpha = requireOpenUnit(options.alpha ?? 0.05, "alpha");
  const sigma2 = n * v;
  const tau2 =
    options.mixtureVariance === undefined
      ? mixtureRho2(alpha, requirePositive(options.tuningSampleSize ?? defaultTuningSampleSize, "tuningSampleSize")) * sigma2
      : requirePositive(options.mixtureVariance, "mixtureVariance");

  if (sigma2 === 0) return { lambda: 1, pValue: 1, ci: [-Infinity, Infinity], mixtureVariance: tau2 };

  const spread = sigma2 + n * tau2;
  const delta = estimate - nullValue;
  const logLambda = 0.5 * Math.log(sigma2 / spread) + (n * n * tau2 * delta * delta) / (2 * sigma2 * spread);
  const halfWidth = Math.sqrt(((2 * sigma2 * spread) / (n * n * tau2)) * (0.5 * Math.log(spread / sigma2) + Math.log(1 / alpha)));
  return {
    lambda: Math.exp(logLambda),
    pValue: Math.min(1, Math.exp(-logLambda)),
    ci: [estimate - halfWidth, estimate + halfWidth],
    mixtureVariance: tau2,
  };
}

export type SequentialLookResult = Omit<MsprtResult, "pValue"> & {
  n: number;
  /** min(1, 1/Λ_n) of this look alone. */
  lookPValue: number;
  /** p_n = min(p_{n−1}, 1/Λ_n): never goes back up; reject once it is ≤ α. */
  pValue: number;
};

/**
 * The running always-valid p-value over successive looks (cumulative data, in order). The
 * interval is reported per look, not intersected across looks: with a plug-in σ² the intersection
 * can come out empty, and the per-look intervals already cover θ at every look simultaneously with
 * probability ≥ 1 − α.
 */
export function sequentialPValues(looks: readonly MsprtLook[], options: MsprtOptions = {}): SequentialLookResult[] {
  let running = 1;
  return looks.map((look) => {
    const { pValue, ...rest } = msprtPValue(look, options);
    running = Math.min(running, pValue);
    return { ...rest, n: look.n, lookPValue: pValue, pValue: running };
  });
}
