import { describe, expect, it } from "vitest";

import { twoProportionZTest } from "./proportions";
import { sampleRatioMismatch } from "./srm";
import { abVerdict } from "./verdict";

const invalid = (field: string) => expect.objectContaining({ name: "GantryError", code: "INVALID_INPUT", field });

const fair = { flagged: false, pValue: 0.4 };
// +10% relative on 10,000 a side: p ≈ 0.021, relative CI ≈ [1.1%, 18.9%]
const winning = twoProportionZTest({ control: { units: 10000, conversions: 1000 }, treatment: { units: 10000, conversions: 1100 } });
// −9.1% relative (1100 → 1000), half-width 1.96·√Var_delta = 7.37% (python: see proportions.test.ts formula)
const losing = twoProportionZTest({ control: { units: 10000, conversions: 1100 }, treatment: { units: 10000, conversions: 1000 } });
const flat = twoProportionZTest({ control: { units: 10000, conversions: 1000 }, treatment: { units: 10000, conversions: 1010 } });

describe("abVerdict", () => {
  it("a sample ratio mismatch overrides everything", () => {
    const srm = sampleRatioMismatch({ observed: [10400, 9600], weights: [1, 1] });
    const v = abVerdict({ test: winning, srm, sequentialPValue: 0.001, sampleShare: 1.2 });
    expect(v.decision).toBe("invalid");
    expect(v.sentence).toMatch(/^sample ratio mismatch \(p = .*\): results are not trustworthy$/);
  });

  it("before the planned sample only the always-valid p-value can stop the test", () => {
    expect(abVerdict({ test: winning, srm: fair, sampleShare: 0.38 })).toEqual({
      decision: "keep_collecting",
      sentence: "keep collecting: 38% of planned sample",
    });
    expect(abVerdict({ test: winning, srm: fair, sequentialPValue: 0.2, sampleShare: 0.38 }).decision).toBe("keep_collecting");
    expect(abVerdict({ test: winning, srm: fair, sequentialPValue: 0.01, sampleShare: 0.38 })).toEqual({
      decision: "promote",
      sentence: "B is better by 10.0% ± 8.9%; safe to promote",
    });
  });

  it("at the planned sample the fixed-horizon p-value decides", () => {
    expect(abVerdict({ test: winning, srm: fair, sequentialPValue: 0.3, sampleShare: 1 }).decision).toBe("promote");
    expect(abVerdict({ test: losing, srm: fair, sampleShare: 1.05 })).toEqual({
      decision: "rollback",
      sentence: "B is worse by 9.1% ± 7.4%; roll back",
    });
    expect(abVerdict({ test: flat, srm: fair, sampleShare: 1 })).toEqual({
      decision: "no_difference",
      sentence: "no significant difference at the planned sample size",
    });
  });

  it("lower-is-better metrics flip the direction; without a relative lift the absolute effect is quoted", () => {
    expect(abVerdict({ test: losing, srm: fair, sampleShare: 1, higherIsBetter: false }).decision).toBe("promote");
    const absoluteOnly = { pValue: 0.001, absolute: { effect: -0.25, ci: [-0.35, -0.15] as [number, number] }, relative: null };
    expect(abVerdict({ test: absoluteOnly, srm: fair, sampleShare: 1 }).sentence).toBe("B is worse by 0.25 ± 0.1; roll back");
  });

  it("rejects a negative share and a p-value outside [0, 1]", () => {
    expect(() => abVerdict({ test: flat, srm: fair, sampleShare: -0.1 })).toThrow(invalid("sampleShare"));
    expect(() => abVerdict({ test: flat, srm: fair, sampleShare: 0.5, sequentialPValue: 1.5 })).toThrow(invalid("sequentialPValue"));
  });
});
