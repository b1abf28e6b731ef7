import { requireCount, requireFinite, requireNonNegative, requirePositiveCount, fail } from "./guards";
import type { MeanSummary } from "./means";
import type { ConversionCounts } from "./proportions";
import type { MsprtLook } from "./sequential";

/*
 * The cumulative data at one look, as the mSPRT wants it: θ̂ = treatment − control, its unpooled
 * variance, and the units of both arms together.
 */

export function proportionsLook(input: { control: ConversionCounts; treatment: ConversionCounts }): MsprtLook {
  const arms = [input.control, input.treatment].map((arm, i) => {
    const name = i === 0 ? "control" : "treatment";
    const units = requirePositiveCount(arm.units, `${name}.units`);
    if (requireCount(arm.conversions, `${name}.conversions`) > units) fail(`${name}.conversions`, `cannot exceed ${name}.units`);
    const p = arm.conversions / units;
    return { n: units, mean: p, variance: p * (1 - p) };
  });
  return differenceLook(arms[0], arms[1]);
}

export function meansLook(input: { control: MeanSummary; treatment: MeanSummary }): MsprtLook {
  const arms = [input.control, input.treatment].map((arm, i) => {
    const name = i === 0 ? "control" : "treatment";
    return {
      n: requirePositiveCount(arm.n, `${name}.n`),
      mean: requireFinite(arm.mean, `${name}.mean`),
      variance: requireNonNegative(arm.variance, `${name}.variance`),
    };
  });
  return differenceLook(arms[0], arms[1]);
}

function differenceLook(control: MeanSummary | undefined, treatment: MeanSummary | undefined): MsprtLook {
  if (!control || !treatment) throw new Error("unreachable: two arms");
  return {
    estimate: treatment.mean - control.mean,
    variance: control.variance / control.n + treatment.variance / treatment.n,
    n: control.n + treatment.n,
  };
}
