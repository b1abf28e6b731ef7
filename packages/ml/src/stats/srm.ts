import { chiSquareSurvival } from "./distributions";
import { fail, requireCount, requireOpenUnit, requirePositive } from "./guards";

export type SampleRatioMismatchInput = {
  /** Units observed per arm. */
  observed: number[];
  /** Intended traffic weights per arm, any positive scale (50/50, 0.9/0.1 …). */
  weights: number[];
  /** Flag when p < threshold. Default 0.001, GrowthBook's (spec §5: ~2% false discoveries). */
  threshold?: number;
};

export type SampleRatioMismatchResult = {
  chi2: number;
  df: number;
  pValue: number;
  flagged: boolean;
  /** Units each arm should have received: N·w_k/Σw. */
  expected: number[];
};

/**
 * Pearson χ² goodness of fit of the observed split against the intended weights (spec §5):
 *   E_k = N·w_k/Σw,  χ² = Σ(O_k − E_k)²/E_k,  df = K − 1,  p = P(χ²_df ≥ χ²)
 * Same as scipy.stats.chisquare(f_obs, f_exp). An arm with weight 0 cannot be tested (E = 0):
 * drop it before calling. No units at all is an INVALID_INPUT, not a pass.
 */
export function sampleRatioMismatch(input: SampleRatioMismatchInput): SampleRatioMismatchResult {
  const { observed, weights } = input;
  const threshold = requireOpenUnit(input.threshold ?? 0.001, "threshold");
  if (observed.length < 2) fail("observed", "needs at least two arms");
  if (weights.length !== observed.length) fail("weights", `has ${weights.length} entries for ${observed.length} arms`);
  observed.forEach((o, i) => requireCount(o, `observed[${i}]`));
  weights.forEach((w, i) => requirePositive(w, `weights[${i}]`));

  const total = observed.reduce((s, o) => s + o, 0);
  if (total === 0) fail("observed", "no units observed yet");
  const weightSum = weights.reduce((s, w) => s + w, 0);
  const expected = weights.map((w) => (total * w) / weightSum);
  const chi2 = observed.reduce((s, o, i) => {
    const e = expected[i] ?? 0;
    return s + ((o - e) * (o - e)) / e;
  }, 0);
  const df = observed.length - 1;
  const pValue = chiSquareSurvival(chi2, df);
  return { chi2, df, pValue, flagged: pValue < threshold, expected };
}
