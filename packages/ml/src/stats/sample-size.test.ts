import { describe, expect, it } from "vitest";

import { sampleSizeForMeans, sampleSizeForProportions } from "./sample-size";

const invalid = (field: string) => expect.objectContaining({ name: "GantryError", code: "INVALID_INPUT", field });

/*
 * Reference values: the same formulas evaluated with scipy 1.17.1's norm.ppf (re-run with python3):
 *
 *   import numpy as np
 *   from scipy.stats import norm
 *   def n_prop(p1, mde, alpha=0.05, power=0.8):
 *       p2 = p1*(1+mde); pbar=(p1+p2)/2
 *       za, zb = norm.ppf(1-alpha/2), norm.ppf(power)
 *       raw = (za*np.sqrt(2*pbar*(1-pbar)) + zb*np.sqrt(p1*(1-p1)+p2*(1-p2)))**2/(p2-p1)**2
 *       return raw, int(np.ceil(raw))
 *   def n_mean(sd, d, alpha=0.05, power=0.8):
 *       za, zb = norm.ppf(1-alpha/2), norm.ppf(power)
 *       raw = 2*sd**2*(za+zb)**2/d**2
 *       return raw, int(np.ceil(raw))
 *   print(n_prop(0.10, 0.10)); print(n_prop(0.03, 0.05, 0.01, 0.9)); print(n_prop(0.2, -0.1))
 *   print(n_mean(12.0, 0.5)); print(n_mean(1.0, 0.1, 0.1, 0.9))
 * → (14750.79…, 14751) (394194.65…, 394195) (6038.53…, 6039) (9041.91…, 9042) (1712.77…, 1713)
 * None of the raw values is within 1e-6 of an integer, so the ceilings are robust.
 */
describe("sampleSizeForProportions", () => {
  it("matches the formula evaluated with scipy", () => {
    expect(sampleSizeForProportions({ baseline: 0.1, minimumDetectableEffect: 0.1 })).toBe(14751);
    expect(sampleSizeForProportions({ baseline: 0.03, minimumDetectableEffect: 0.05, alpha: 0.01, power: 0.9 })).toBe(394195);
    expect(sampleSizeForProportions({ baseline: 0.2, minimumDetectableEffect: -0.1 })).toBe(6039);
  });

  it("rejects effects that leave (0, 1), a zero effect and bad levels", () => {
    expect(() => sampleSizeForProportions({ baseline: 0.6, minimumDetectableEffect: 1 })).toThrow(invalid("minimumDetectableEffect"));
    expect(() => sampleSizeForProportions({ baseline: 0.1, minimumDetectableEffect: 0 })).toThrow(invalid("minimumDetectableEffect"));
    expect(() => sampleSizeForProportions({ baseline: 0, minimumDetectableEffect: 0.1 })).toThrow(invalid("baseline"));
    expect(() => sampleSizeForProportions({ baseline: 0.1, minimumDetectableEffect: 0.1, power: 1 })).toThrow(invalid("power"));
  });
});

describe("sampleSizeForMeans", () => {
  it("matches 2σ²(z_{1−α/2} + z_{1−β})²/δ² evaluated with scipy", () => {
    expect(sampleSizeForMeans({ std: 12, minimumDetectableEffect: 0.5 })).toBe(9042);
    expect(sampleSizeForMeans({ std: 1, minimumDetectableEffect: 0.1, alpha: 0.1, power: 0.9 })).toBe(1713);
  });

  it("rejects a non-positive std and a zero effect", () => {
    expect(() => sampleSizeForMeans({ std: 0, minimumDetectableEffect: 0.5 })).toThrow(invalid("std"));
    expect(() => sampleSizeForMeans({ std: 1, minimumDetectableEffect: 0 })).toThrow(invalid("minimumDetectableEffect"));
  });
});
