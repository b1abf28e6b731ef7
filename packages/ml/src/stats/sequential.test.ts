import { describe, expect, it } from "vitest";

import { mixtureRho2, msprtPValue, sequentialPValues } from "./sequential";

const invalid = (field: string) => expect.objectContaining({ name: "GantryError", code: "INVALID_INPUT", field });

/*
 * Reference values: numpy 2.4.6, the spec §5 formula for Λ_n and, independently, GrowthBook's
 * sequential p-value / half-width (Waudby-Smith et al.) written in its own parameterisation
 * (re-run with python3):
 *
 *   import numpy as np
 *   def lam(theta, v, n, tau2, theta0=0.0):      # spec §5, σ² = n·Var(θ̂)
 *       s2 = n*v
 *       return np.sqrt(s2/(s2+n*tau2))*np.exp(n**2*tau2*(theta-theta0)**2/(2*s2*(s2+n*tau2)))
 *   def rho2(alpha, S): return (-2*np.log(alpha) + np.log(-2*np.log(alpha)+1))/S
 *   def gavi(theta, v, n, alpha, S):
 *       r2 = rho2(alpha, S); s = np.sqrt(n*v)
 *       hw = s*np.sqrt(2*(n*r2+1)/(n**2*r2)*np.log(np.sqrt(n*r2+1)/alpha))
 *       e = np.exp(r2*(theta**2*n/v)/(2*(n*r2+1)))/np.sqrt(n*r2+1)
 *       return min(1, 1/e), (theta-hw, theta+hw)
 *   v = 0.1*0.9/10000 + 0.11*0.89/10000           # the unpooled SE² of 1000/10000 vs 1100/10000
 *   print("v", v, "rho2", rho2(0.05, 5000))
 *   L = lam(0.01, v, 20000, rho2(0.05, 5000)*20000*v); print("default", L, 1/L, gavi(0.01, v, 20000, 0.05, 5000))
 *   L = lam(0.01, v, 20000, 1e-4); print("tau2=1e-4", L, 1/L)
 *   L = lam(0.01, v, 20000, 1e-4, 0.02); print("tau2=1e-4 theta0=0.02", L, 1/L)
 *   s2 = 20000*v; t2 = 1e-4; n = 20000
 *   hw = np.sqrt(2*s2*(s2+n*t2)/(n**2*t2)*np.log(np.sqrt((s2+n*t2)/s2)/0.05))
 *   print("cs tau2", 0.01-hw, 0.01+hw, lam(0.01, v, n, t2, 0.01+hw))
 */
const v = 1.879e-5;

describe("msprtPValue", () => {
  it("default τ² (ρ² tuned for S = 5,000): Λ from the spec formula, p and interval equal GrowthBook's", () => {
    expect(mixtureRho2(0.05, 5000)).toBeCloseTo(0.001587230920347513, 12);
    const r = msprtPValue({ estimate: 0.01, variance: v, n: 20000 });
    expect(r.lambda).toBeCloseTo(2.3056338373108742, 6);
    expect(r.pValue).toBeCloseTo(0.43372021342570516, 6);
    expect(r.ci[0]).toBeCloseTo(-0.0035552372713725956, 6);
    expect(r.ci[1]).toBeCloseTo(0.023555237271372598, 6);
    expect(r.mixtureVariance).toBeCloseTo(0.001587230920347513 * 20000 * v, 15);
  });

  it("explicit τ² = 1e-4 and a non-zero θ₀", () => {
    expect(msprtPValue({ estimate: 0.01, variance: v, n: 20000 }, { mixtureVariance: 1e-4 }).lambda).toBeCloseTo(3.7361767519202367, 6);
    const shifted = msprtPValue({ estimate: 0.01, variance: v, n: 20000 }, { mixtureVariance: 1e-4, nullValue: 0.02 });
    expect(shifted.pValue).toBeCloseTo(0.26765329008753197, 6);
    const r = msprtPValue({ estimate: 0.01, variance: v, n: 20000 }, { mixtureVariance: 1e-4 });
    expect(r.ci[0]).toBeCloseTo(-0.0032247236169621607, 6);
    expect(r.ci[1]).toBeCloseTo(0.02322472361696216, 6);
  });

  it("the confidence sequence is exactly the set of θ₀ not rejected: Λ(θ̂ ± half-width) = 1/α", () => {
    for (const alpha of [0.01, 0.05, 0.2]) {
      const look = { estimate: 0.3, variance: 0.0004, n: 3000 };
      const { ci } = msprtPValue(look, { alpha });
      expect(msprtPValue(look, { alpha, nullValue: ci[1] }).pValue).toBeCloseTo(alpha, 9);
      expect(msprtPValue(look, { alpha, nullValue: ci[0] }).pValue).toBeCloseTo(alpha, 9);
    }
  });

  it("the sample size cancels once Var(θ̂) is fixed and τ² is given", () => {
    const a = msprtPValue({ estimate: 0.02, variance: 1e-4, n: 100 }, { mixtureVariance: 4e-4 });
    const b = msprtPValue({ estimate: 0.02, variance: 1e-4, n: 1e6 }, { mixtureVariance: 4e-4 });
    expect(a.lambda).toBeCloseTo(b.lambda, 12);
  });

  it("zero variance carries no evidence: Λ = 1, unbounded interval", () => {
    expect(msprtPValue({ estimate: 0, variance: 0, n: 200 })).toEqual({ lambda: 1, pValue: 1, ci: [-Infinity, Infinity], mixtureVariance: 0 });
  });

  it("bad inputs are INVALID_INPUT", () => {
    expect(() => msprtPValue({ estimate: 0, variance: -1, n: 10 })).toThrow(invalid("variance"));
    expect(() => msprtPValue({ estimate: 0, variance: 1, n: 0 })).toThrow(invalid("n"));
    expect(() => msprtPValue({ estimate: 0, variance: 1, n: 10 }, { mixtureVariance: 0 })).toThrow(invalid("mixtureVariance"));
    expect(() => msprtPValue({ estimate: 0, variance: 1, n: 10 }, { tuningSampleSize: -5 })).toThrow(invalid("tuningSampleSize"));
  });
});

describe("sequentialPValues", () => {
  it("p_n = min(p_{n−1}, 1/Λ_n): never goes back up even when the evidence fades", () => {
    const looks = [
      { estimate: 0.0, variance: 4e-4, n: 500 },
      { estimate: 0.08, variance: 2e-4, n: 1000 },
      { estimate: 0.01, variance: 1e-4, n: 2000 },
    ];
    const out = sequentialPValues(looks);
    expect(out.map((o) => o.n)).toEqual([500, 1000, 2000]);
    const single = looks.map((l) => msprtPValue(l).pValue);
    expect(out.map((o) => o.lookPValue)).toEqual(single);
    expect(single[2]).toBeGreaterThan(single[1] ?? 1);
    expect(out[2]?.pValue).toBe(out[1]?.pValue);
    expect(out[1]?.pValue).toBe(Math.min(single[0] ?? 1, single[1] ?? 1));
  });
});
