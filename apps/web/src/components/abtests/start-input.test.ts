import { describe, expect, it } from "vitest";

import type { Draft } from "./start-input";
import { equalWeights, modelRef, parseSteps, plannedSample, startInput, weightSum } from "./start-input";

const draft = (over: Partial<Draft> = {}): Draft => ({
  endpoint: "churn-api",
  name: "v2-vs-v1",
  hypothesis: "",
  kind: "split",
  variants: [
    { model: "churn", choice: "version:1", weight: 50 },
    { model: "churn", choice: "alias:challenger", weight: 50 },
  ],
  primaryMetric: "conversion",
  guardrails: ["error_rate", "p99_latency"],
  plan: { baseline: "0.1", minimumDetectableEffect: "0.1", alpha: "0.05", power: "0.8" },
  promoteAlias: "champion",
  stickyKey: "",
  canary: { steps: "5, 25, 50, 100", every: "10", everyUnit: "minutes", maxErrorRatePercent: "5", maxP99Ms: "250", minRequests: "50" },
  shadow: { mirrorPercent: 100 },
  bandit: { algorithm: "thompson", epsilon: "0.1" },
  ...over,
});

describe("the A/B test start form's input", () => {
  it("splits evenly in whole percents and sums the weights", () => {
    expect(equalWeights(2)).toEqual([50, 50]);
    expect(equalWeights(3)).toEqual([34, 33, 33]);
    expect(weightSum(equalWeights(7).map((weight) => ({ weight })))).toBe(100);
    expect(weightSum([{ weight: 60 }, { weight: 30 }])).toBe(90);
  });

  it("names versions and aliases as the server resolves them", () => {
    expect(modelRef("churn", "version:3")).toBe("churn/3");
    expect(modelRef("churn", "alias:champion")).toBe("churn@champion");
    expect(parseSteps("5, 25 50,100")).toEqual([5, 25, 50, 100]);
  });

  it("plans the sample per variant as the server does, or says why it cannot", () => {
    expect(plannedSample("conversion", { baseline: "0.1", minimumDetectableEffect: "0.1", alpha: "0.05", power: "0.8" })).toEqual({ unitsPerVariant: 14751 });
    expect(plannedSample("mean_reward", { baseline: "1", minimumDetectableEffect: "0.1", alpha: "", power: "" })).toEqual({ unitsPerVariant: 1570 });
    expect(plannedSample("conversion", { baseline: "1.5", minimumDetectableEffect: "0.1", alpha: "0.05", power: "0.8" })).toHaveProperty("error");
  });

  it("sends a split's weights, and only the kind's own options", () => {
    const split = startInput(draft());
    expect(split).toMatchObject({ endpoint: "churn-api", name: "v2-vs-v1", kind: "split", promoteAlias: "champion", plan: { baseline: 0.1, minimumDetectableEffect: 0.1, alpha: 0.05, power: 0.8 } });
    expect(split.variants).toEqual([
      { model: "churn/1", weight: 50 },
      { model: "churn@challenger", weight: 50 },
    ]);
    expect(split).not.toHaveProperty("canary");
    expect(split).not.toHaveProperty("hypothesis");

    const canary = startInput(draft({ kind: "canary" }));
    expect(canary.variants).toEqual([{ model: "churn/1" }, { model: "churn@challenger" }]);
    expect(canary.canary).toEqual({ steps: [5, 25, 50, 100], everyMinutes: 10, maxErrorRate: 0.05, maxP99Ms: 250, minRequests: 50 });
    expect(startInput(draft({ kind: "canary", canary: { ...draft().canary, everyUnit: "requests", every: "500" } })).canary).toMatchObject({ everyRequests: 500 });
    expect(startInput(draft({ kind: "shadow", shadow: { mirrorPercent: 20 } })).shadow).toEqual({ mirrorPercent: 20 });
    expect(startInput(draft({ kind: "bandit", bandit: { algorithm: "epsilon_greedy", epsilon: "0.2" } })).bandit).toEqual({ algorithm: "epsilon_greedy", epsilon: 0.2 });
  });
});
