import { describe, expect, it } from "vitest";

import { meansLook, proportionsLook } from "./looks";
import { welchTTest } from "./means";
import { twoProportionZTest } from "./proportions";

const invalid = (field: string) => expect.objectContaining({ name: "GantryError", code: "INVALID_INPUT", field });

describe("mSPRT looks", () => {
  it("proportions: the estimate and variance are the z-test's effect and unpooled SE²", () => {
    const control = { units: 10000, conversions: 1000 };
    const treatment = { units: 10000, conversions: 1100 };
    const look = proportionsLook({ control, treatment });
    // 0.1·0.9/10000 + 0.11·0.89/10000 (the same number sequential.test.ts uses)
    expect(look).toEqual({ estimate: expect.closeTo(0.01, 15), variance: expect.closeTo(1.879e-5, 15), n: 20000 });
    const z = twoProportionZTest({ control, treatment });
    expect(z.absolute.ci[1] - z.absolute.effect).toBeCloseTo(1.959963984540054 * Math.sqrt(look.variance), 12);
  });

  it("means: the Welch SE²", () => {
    const control = { n: 523, mean: 12.4, variance: 9.61 };
    const treatment = { n: 611, mean: 12.9, variance: 12.25 };
    const look = meansLook({ control, treatment });
    expect(look.n).toBe(1134);
    expect(look.estimate).toBeCloseTo(0.5, 12);
    expect(look.estimate / Math.sqrt(look.variance)).toBeCloseTo(welchTTest({ control, treatment }).t, 12);
  });

  it("zero units is INVALID_INPUT", () => {
    expect(() => proportionsLook({ control: { units: 0, conversions: 0 }, treatment: { units: 5, conversions: 1 } })).toThrow(invalid("control.units"));
    expect(() => meansLook({ control: { n: 5, mean: 1, variance: 1 }, treatment: { n: 0, mean: 1, variance: 1 } })).toThrow(invalid("treatment.n"));
  });
});
