import type { Effect } from "./effects";
import { fail, requireNonNegative, requireOpenUnit } from "./guards";

export type AbDecision = "promote" | "keep_collecting" | "no_difference" | "rollback" | "invalid";

export type AbVerdictInput = {
  /** The fixed-horizon result: twoProportionZTest or welchTTest. */
  test: { pValue: number; absolute: Effect; relative: Effect | null };
  /** sampleRatioMismatch over the same units. */
  srm: { flagged: boolean; pValue: number };
  /** The running always-valid p-value (sequentialPValues(…).at(-1).pValue), when sequential testing is on. */
  sequentialPValue?: number;
  /** Units so far ÷ units planned (sampleSizeFor… × arms); 1 or more once the plan is reached. */
  sampleShare: number;
  /** Default 0.05. */
  alpha?: number;
  /** false for metrics where lower is better (latency, error rate). Default true. */
  higherIsBetter?: boolean;
};

export type AbVerdict = { decision: AbDecision; sentence: string };

const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;
const plain = (x: number): string => Number(x.toPrecision(3)).toString();

function describeEffect(test: AbVerdictInput["test"], better: boolean): string {
  const effect = test.relative ?? test.absolute;
  const format = test.relative ? percent : plain;
  const halfWidth = (effect.ci[1] - effect.ci[0]) / 2;
  return `B is ${better ? "better" : "worse"} by ${format(Math.abs(effect.effect))} ± ${format(halfWidth)}`;
}

/**
 * The rule, first match wins:
 *   1. SRM flagged → "invalid": the split itself is broken, no effect estimate can be trusted.
 *   2. Always-valid p ≤ α (any share of the sample) → "promote" if B moved the metric the good
 *      way, else "rollback". Only the sequential p-value may stop a test early: the fixed-horizon
 *      p-value is not valid under peeking.
 *   3. Share < 1 → "keep_collecting".
 *   4. Share ≥ 1 (the planned, single fixed-horizon analysis): p ≤ α → "promote"/"rollback",
 *      otherwise "no_difference".
 * Using both 2 and 4 lets a test stop early without giving up the fixed-horizon power at the end.
 * The price: the false-positive rate is bounded by α (sequential) + α (final) in the worst case,
 * not α. In practice the mSPRT boundary is far out, so the two mostly reject the same paths: in
 * A/A simulation (20 looks up to the plan, simulation.test.ts) the rule decides wrongly 4.9% of the
 * time with the sequential tuning S = the planned total, 5.3% with the default S = 5,000. Omit
 * `sequentialPValue` for a strictly fixed-horizon test.
 * The effect quoted is the relative lift (± half its CI) when defined, else the absolute one.
 */
export function abVerdict(input: AbVerdictInput): AbVerdict {
  const alpha = requireOpenUnit(input.alpha ?? 0.05, "alpha");
  const share = requireNonNegative(input.sampleShare, "sampleShare");
  const { test, srm, sequentialPValue } = input;
  if (sequentialPValue !== undefined && !(sequentialPValue >= 0 && sequentialPValue <= 1)) {
    fail("sequentialPValue", `must be in [0, 1], got ${sequentialPValue}`);
  }
  const higherIsBetter = input.higherIsBetter ?? true;

  if (srm.flagged) {
    return { decision: "invalid", sentence: `sample ratio mismatch (p = ${srm.pValue.toExponential(1)}): results are not trustworthy` };
  }

  const significant = (sequentialPValue !== undefined && sequentialPValue <= alpha) || (share >= 1 && test.pValue <= alpha);
  if (significant) {
    const better = (test.absolute.effect > 0) === higherIsBetter;
    const sentence = `${describeEffect(test, better)}; ${better ? "safe to promote" : "roll back"}`;
    return { decision: better ? "promote" : "rollback", sentence };
  }
  if (share < 1) {
    return { decision: "keep_collecting", sentence: `keep collecting: ${Math.floor(share * 100)}% of planned sample` };
  }
  return { decision: "no_difference", sentence: "no significant difference at the planned sample size" };
}
