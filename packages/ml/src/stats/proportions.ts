import { standardNormalQuantile, twoSidedNormalP } from "./distributions";
import { chanceToBeatControl, relativeLift, symmetricInterval, type Effect } from "./effects";
import { fail, requireCount, requireOpenUnit, requirePositiveCount } from "./guards";

export type ConversionCounts = { units: number; conversions: number };

export type TwoProportionZTestInput = {
  control: ConversionCounts;
  treatment: ConversionCounts;
  /** Two-sided significance level; the intervals are (1 − alpha). Default 0.05. */
  alpha?: number;
};

export type TwoProportionZTestResult = {
  controlRate: number;
  treatmentRate: number;
  z: number;
  /** Two-sided, from the pooled standard error. */
  pValue: number;
  /** p̂_T − p̂_C with the unpooled (Wald) interval. */
  absolute: Effect;
  /** p̂_T/p̂_C − 1 with the delta-method interval; null when the control rate is 0. */
  relative: Effect | null;
  /** Φ(effect / unpooled SE): normal approximation of P(p_T > p_C) under a flat prior. */
  chanceToBeatControl: number;
};

function checkArm(arm: ConversionCounts, name: string): void {
  requirePositiveCount(arm.units, `${name}.units`);
  requireCount(arm.conversions, `${name}.conversions`);
  if (arm.conversions > arm.units) fail(`${name}.conversions`, `cannot exceed ${name}.units (${arm.conversions} > ${arm.units})`);
}

/**
 * Two-proportion z-test (spec §5):
 *   test:  p̄ = (x_C + x_T)/(n_C + n_T),  z = (p̂_T − p̂_C) / √(p̄(1 − p̄)(1/n_C + 1/n_T)),  p = 2Φ(−|z|)
 *   CI:    (p̂_T − p̂_C) ± z_{1−α/2}·√(p̂_C(1 − p̂_C)/n_C + p̂_T(1 − p̂_T)/n_T)
 * Zero units in an arm is an INVALID_INPUT. When both arms sit at 0% (or both at 100%) the pooled
 * SE is 0 and the rates are equal, so the result is defined as z = 0, p = 1.
 */
export function twoProportionZTest(input: TwoProportionZTestInput): TwoProportionZTestResult {
  const { control, treatment } = input;
  const alpha = requireOpenUnit(input.alpha ?? 0.05, "alpha");
  checkArm(control, "control");
  checkArm(treatment, "treatment");

  const pC = control.conversions / control.units;
  const pT = treatment.conversions / treatment.units;
  const diff = pT - pC;

  const pooled = (control.conversions + treatment.conversions) / (control.units + treatment.units);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / control.units + 1 / treatment.units));
  const z = pooledSe === 0 ? 0 : diff / pooledSe;

  const varC = pC * (1 - pC);
  const varT = pT * (1 - pT);
  const unpooledSe = Math.sqrt(varC / control.units + varT / treatment.units);
  const critical = standardNormalQuantile(1 - alpha / 2);

  return {
    controlRate: pC,
    treatmentRate: pT,
    z,
    pValue: twoSidedNormalP(z),
    absolute: symmetricInterval(diff, critical * unpooledSe),
    relative: relativeLift(
      { n: control.units, mean: pC, variance: varC },
      { n: treatment.units, mean: pT, variance: varT },
      critical,
    ),
    chanceToBeatControl: chanceToBeatControl(diff, unpooledSe),
  };
}
