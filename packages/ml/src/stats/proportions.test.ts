import { describe, expect, it } from "vitest";

import { twoProportionZTest } from "./proportions";

const invalid = (field: string) => expect.objectContaining({ name: "GantryError", code: "INVALID_INPUT", field });

/*
 * Reference values: scipy 1.17.1 / numpy 2.4.6, written from the spec §5 formulas with scipy's
 * normal distribution (re-run with python3):
 *
 *   import numpy as np
 *   from scipy.stats import norm
 *   def ztest(nc, xc, nt, xt, alpha):
 *       pc, pt = xc/nc, xt/nt
 *       pbar = (xc+xt)/(nc+nt)
 *       z = (pt-pc)/np.sqrt(pbar*(1-pbar)*(1/nc+1/nt))
 *       p = 2*norm.sf(abs(z))
 *       se = np.sqrt(pc*(1-pc)/nc + pt*(1-pt)/nt)
 *       q = norm.ppf(1-alpha/2)
 *       d = pt-pc
 *       vr = pc*(1-pc)*pt**2/(pc**4*nc) + pt*(1-pt)/(pc**2*nt)
 *       r = pt/pc-1
 *       print(dict(controlRate=pc, treatmentRate=pt, z=z, p=p, abs=(d, d-q*se, d+q*se),
 *                  rel=(r, r-q*np.sqrt(vr), r+q*np.sqrt(vr)), ctbc=norm.cdf(d/se)))
 *   ztest(10000, 1000, 10000, 1100, 0.05)
 *   ztest(4321, 217, 3987, 251, 0.10)
 */
const references = [
  {
    input: { control: { units: 10000, conversions: 1000 }, treatment: { units: 10000, conversions: 1100 }, alpha: 0.05 },
    controlRate: 0.1,
    treatmentRate: 0.11,
    z: 2.3066347738170103,
    pValue: 0.021075189273797826,
    absolute: [0.009999999999999995, 0.001504059131512114, 0.018495940868487874],
    relative: [0.09999999999999987, 0.010870112525620937, 0.1891298874743788],
    chanceToBeatControl: 0.9894709633919611,
  },
  {
    input: { control: { units: 4321, conversions: 217 }, treatment: { units: 3987, conversions: 251 }, alpha: 0.1 },
    controlRate: 0.050219856514695675,
    treatmentRate: 0.06295460245798846,
    z: 2.51520172551557,
    pValue: 0.011896429343950788,
    absolute: [0.01273474594329279, 0.004374337583177991, 0.02109515430340759],
    relative: [0.253579895027503, 0.06788806435031236, 0.43927172570469364],
    chanceToBeatControl: 0.9938856456144416,
  },
];

describe("twoProportionZTest", () => {
  it.each(references)("matches scipy for %#", (ref) => {
    const r = twoProportionZTest(ref.input);
    expect(r.controlRate).toBeCloseTo(ref.controlRate, 12);
    expect(r.treatmentRate).toBeCloseTo(ref.treatmentRate, 12);
    expect(r.z).toBeCloseTo(ref.z, 6);
    expect(r.pValue).toBeCloseTo(ref.pValue, 6);
    expect(r.absolute.effect).toBeCloseTo(ref.absolute[0] ?? Number.NaN, 6);
    expect(r.absolute.ci[0]).toBeCloseTo(ref.absolute[1] ?? Number.NaN, 6);
    expect(r.absolute.ci[1]).toBeCloseTo(ref.absolute[2] ?? Number.NaN, 6);
    expect(r.relative?.effect).toBeCloseTo(ref.relative[0] ?? Number.NaN, 6);
    expect(r.relative?.ci[0]).toBeCloseTo(ref.relative[1] ?? Number.NaN, 6);
    expect(r.relative?.ci[1]).toBeCloseTo(ref.relative[2] ?? Number.NaN, 6);
    expect(r.chanceToBeatControl).toBeCloseTo(ref.chanceToBeatControl, 6);
  });

  it("is antisymmetric: swapping the arms flips z and the effect, keeps p", () => {
    const a = twoProportionZTest({ control: { units: 5000, conversions: 400 }, treatment: { units: 5200, conversions: 470 } });
    const b = twoProportionZTest({ control: { units: 5200, conversions: 470 }, treatment: { units: 5000, conversions: 400 } });
    expect(b.z).toBeCloseTo(-a.z, 12);
    expect(b.pValue).toBeCloseTo(a.pValue, 12);
    expect(b.absolute.effect).toBeCloseTo(-a.absolute.effect, 12);
    expect(b.chanceToBeatControl).toBeCloseTo(1 - a.chanceToBeatControl, 12);
  });

  it("zero units, negative or excess conversions and a bad alpha are INVALID_INPUT naming the field", () => {
    const ok = { units: 100, conversions: 10 };
    expect(() => twoProportionZTest({ control: { units: 0, conversions: 0 }, treatment: ok })).toThrow(invalid("control.units"));
    expect(() => twoProportionZTest({ control: ok, treatment: { units: 0, conversions: 0 } })).toThrow(invalid("treatment.units"));
    expect(() => twoProportionZTest({ control: ok, treatment: { units: 10, conversions: 11 } })).toThrow(invalid("treatment.conversions"));
    expect(() => twoProportionZTest({ control: { units: 10, conversions: -1 }, treatment: ok })).toThrow(invalid("control.conversions"));
    expect(() => twoProportionZTest({ control: { units: 10.5, conversions: 1 }, treatment: ok })).toThrow(invalid("control.units"));
    expect(() => twoProportionZTest({ control: ok, treatment: ok, alpha: 0 })).toThrow(invalid("alpha"));
  });

  it("both arms at 0%: defined as no difference (z = 0, p = 1), relative lift undefined", () => {
    const r = twoProportionZTest({ control: { units: 500, conversions: 0 }, treatment: { units: 480, conversions: 0 } });
    expect(r.z).toBe(0);
    expect(r.pValue).toBe(1);
    expect(r.absolute).toEqual({ effect: 0, ci: [0, 0] });
    expect(r.relative).toBeNull();
    expect(r.chanceToBeatControl).toBe(0.5);
  });

  it("control at 0% but treatment not: the test still runs, the relative lift is null", () => {
    const r = twoProportionZTest({ control: { units: 500, conversions: 0 }, treatment: { units: 500, conversions: 5 } });
    expect(r.z).toBeGreaterThan(0);
    expect(r.relative).toBeNull();
  });
});
