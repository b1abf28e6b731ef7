import { standardNormalCdf } from "./distributions";

/** A point estimate with its two-sided confidence interval. */
export type Effect = { effect: number; ci: [number, number] };

/** The moments of one arm that both the z-test and the t-test reduce to. */
export type ArmMoments = { n: number; mean: number; variance: number };

export const symmetricInterval = (effect: number, halfWidth: number): Effect => ({
  effect,
  ci: [effect - halfWidth, effect + halfWidth],
});

/**
 * Relative lift μ_T/μ_C − 1 with its delta-method interval (spec §5; GrowthBook
 * docs/docs/statistics/details.mdx and gbstats frequentist/tests.py):
 *   Var(Δ_r) ≈ σ_C²·μ_T²/(μ_C⁴·n_C) + σ_T²/(μ_C²·n_T)
 * `critical` is the quantile used for the absolute interval, so both intervals share one level.
 * Undefined (null) when the control mean is 0: there is no lift relative to nothing.
 */
export function relativeLift(control: ArmMoments, treatment: ArmMoments, critical: number): Effect | null {
  if (control.mean === 0) return null;
  const muC2 = control.mean * control.mean;
  const variance =
    (control.variance * treatment.mean * treatment.mean) / (muC2 * muC2 * control.n) + treatment.variance / (muC2 * treatment.n);
  return symmetricInterval(treatment.mean / control.mean - 1, critical * Math.sqrt(variance));
}

/**
 * P(θ > 0 | data) for the difference θ = μ_T − μ_C under a flat prior and a normal likelihood:
 * the posterior is N(θ̂, se²), so the chance is Φ(θ̂/se). With se = 0 the posterior is a point mass.
 */
export function chanceToBeatControl(effect: number, standardError: number): number {
  if (standardError === 0) return effect > 0 ? 1 : effect < 0 ? 0 : 0.5;
  return standardNormalCdf(effect / standardError);
}
