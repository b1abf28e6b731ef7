import { standardNormalQuantile } from "./distributions";
import { fail, requireOpenUnit, requirePositive } from "./guards";

export type SampleSizeForProportionsInput = {
  /** Control conversion rate p₁, in (0, 1). */
  baseline: number;
  /** Relative lift to detect: p₂ = p₁·(1 + mde). Negative values plan for a drop. */
  minimumDetectableEffect: number;
  /** Two-sided. Default 0.05. */
  alpha?: number;
  /** Default 0.8. */
  power?: number;
};

export type SampleSizeForMeansInput = {
  /** Per-unit standard deviation of the metric, assumed equal in both arms. */
  std: number;
  /** Absolute difference of means to detect. */
  minimumDetectableEffect: number;
  alpha?: number;
  power?: number;
};

/**
 * Units per variant (two arms of equal size) for the pooled two-proportion z-test at two-sided
 * level α with the given power — the classical normal-approximation formula without continuity
 * correction (Fleiss, Levin & Paik, "Statistical Methods for Rates and Proportions", 3rd ed., ch. 4):
 *
 *   n = ( z_{1−α/2}·√(2p̄(1 − p̄)) + z_{1−β}·√(p₁(1 − p₁) + p₂(1 − p₂)) )² / (p₂ − p₁)²,
 *   p̄ = (p₁ + p₂)/2, rounded up.
 *
 * The first term is the pooled SE the test uses under H₀, the second the unpooled SE under H₁,
 * which is why it matches the power of twoProportionZTest rather than of a Wald test.
 */
export function sampleSizeForProportions(input: SampleSizeForProportionsInput): number {
  const p1 = requireOpenUnit(input.baseline, "baseline");
  const mde = input.minimumDetectableEffect;
  if (!Number.isFinite(mde) || mde === 0) fail("minimumDetectableEffect", `must be a non-zero finite number, got ${mde}`);
  const p2 = p1 * (1 + mde);
  if (!(p2 > 0 && p2 < 1)) fail("minimumDetectableEffect", `puts the treatment rate at ${p2}, outside (0, 1)`);
  const zAlpha = standardNormalQuantile(1 - requireOpenUnit(input.alpha ?? 0.05, "alpha") / 2);
  const zBeta = standardNormalQuantile(requireOpenUnit(input.power ?? 0.8, "power"));
  const pBar = (p1 + p2) / 2;
  const root = zAlpha * Math.sqrt(2 * pBar * (1 - pBar)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil((root * root) / ((p2 - p1) * (p2 - p1)));
}

/**
 * Units per variant for a two-sided comparison of two means with a common, known σ (normal
 * approximation of the two-sample test; e.g. Chow, Shao & Wang, "Sample Size Calculations in
 * Clinical Research", §3.2):
 *
 *   n = 2σ²(z_{1−α/2} + z_{1−β})² / δ², rounded up.
 *
 * It ignores the t correction, which is negligible at A/B-test sizes.
 */
export function sampleSizeForMeans(input: SampleSizeForMeansInput): number {
  const sigma = requirePositive(input.std, "std");
  const delta = input.minimumDetectableEffect;
  if (!Number.isFinite(delta) || delta === 0) fail("minimumDetectableEffect", `must be a non-zero finite number, got ${delta}`);
  const zAlpha = standardNormalQuantile(1 - requireOpenUnit(input.alpha ?? 0.05, "alpha") / 2);
  const zBeta = standardNormalQuantile(requireOpenUnit(input.power ?? 0.8, "power"));
  const z = zAlpha + zBeta;
  return Math.ceil((2 * sigma * sigma * z * z) / (delta * delta));
}
