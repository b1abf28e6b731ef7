import { describe, expect, it } from "vitest";

import { createRandom } from "../training/random";
import { epsilonGreedy, thompsonSample } from "./bandits";

const invalid = (field: string) => expect.objectContaining({ name: "GantryError", code: "INVALID_INPUT", field });

const shares = (picks: number[], arms: number) => Array.from({ length: arms }, (_, a) => picks.filter((p) => p === a).length / picks.length);

describe("thompsonSample", () => {
  it("is reproducible from the seed", () => {
    const arms = [{ successes: 3, failures: 7 }, { successes: 4, failures: 6 }, { successes: 0, failures: 0 }];
    const run = () => {
      const random = createRandom(42);
      return Array.from({ length: 50 }, () => thompsonSample(arms, random));
    };
    expect(run()).toEqual(run());
  });

  it("routes in proportion to P(arm is best): two equal posteriors split ~50/50", () => {
    const random = createRandom(1);
    const picks = Array.from({ length: 10_000 }, () => thompsonSample([{ successes: 30, failures: 70 }, { successes: 30, failures: 70 }], random));
    // Binomial(10,000, 0.5): sd = 50; 4 sd.
    expect(Math.abs((shares(picks, 2)[0] ?? 0) - 0.5)).toBeLessThan(0.02);
  });

  it("matches P(θ₂ > θ₁) for Beta(11, 91) vs Beta(21, 81)", () => {
    /*
     * Reference: scipy 1.17.1 numerical integration (re-run with python3):
     *   from scipy import integrate; from scipy.stats import beta
     *   a, b = beta(11, 91), beta(21, 81)
     *   print(integrate.quad(lambda x: b.pdf(x) * a.cdf(x), 0, 1, epsabs=1e-12)[0])   # 0.9751730331528735
     */
    const probSecondBest = 0.9751730331528735;
    const random = createRandom(3);
    const picks = Array.from({ length: 20_000 }, () => thompsonSample([{ successes: 10, failures: 90 }, { successes: 20, failures: 80 }], random));
    // Binomial(20,000, 0.975): sd ≈ 0.0011; 4 sd.
    expect(Math.abs((shares(picks, 2)[1] ?? 0) - probSecondBest)).toBeLessThan(0.0044);
  });

  it("rejects an empty arm list and negative counts", () => {
    const random = createRandom(1);
    expect(() => thompsonSample([], random)).toThrow(invalid("arms"));
    expect(() => thompsonSample([{ successes: -1, failures: 0 }], random)).toThrow(invalid("arms[0].successes"));
  });
});

describe("epsilonGreedy", () => {
  it("sends 1 − ε to the best arm and ε spread over the others (Seldon's rule)", () => {
    const random = createRandom(5);
    const arms = [{ successes: 10, failures: 90 }, { successes: 30, failures: 70 }, { successes: 20, failures: 80 }];
    const picks = Array.from({ length: 20_000 }, () => epsilonGreedy(arms, 0.1, random));
    const [a, b, c] = shares(picks, 3);
    // Binomial(20,000, 0.9): sd ≈ 0.0021; (…, 0.05): sd ≈ 0.0015; 4 sd.
    expect(Math.abs((b ?? 0) - 0.9)).toBeLessThan(0.0085);
    expect(Math.abs((a ?? 0) - 0.05)).toBeLessThan(0.0062);
    expect(Math.abs((c ?? 0) - 0.05)).toBeLessThan(0.0062);
  });

  it("breaks ties at random, values untried arms at 0, and never explores with one arm", () => {
    const random = createRandom(9);
    const tied = Array.from({ length: 10_000 }, () => epsilonGreedy([{ successes: 0, failures: 0 }, { successes: 0, failures: 0 }], 0, random));
    expect(Math.abs((shares(tied, 2)[0] ?? 0) - 0.5)).toBeLessThan(0.02);
    expect(epsilonGreedy([{ successes: 0, failures: 0 }, { successes: 1, failures: 99 }], 0, random)).toBe(1);
    expect(epsilonGreedy([{ successes: 0, failures: 3 }], 1, random)).toBe(0);
  });

  it("rejects ε outside [0, 1]", () => {
    expect(() => epsilonGreedy([{ successes: 1, failures: 1 }], 1.5, createRandom(1))).toThrow(invalid("epsilon"));
  });
});
