import { describe, expect, it } from "vitest";

import type { PolicyDraft } from "./policy-draft";
import { policyInput } from "./policy-draft";

const draft: PolicyDraft = {
  name: "churn-retrain",
  model: "churn-model",
  endpoint: "churn-api",
  triggers: ["manual", "data_drift"],
  dataset: "churn",
  target: "churned",
  epochs: "3",
  hiddenLayers: "16, 8",
  extraSpec: '{"batchSize": 32, "model": {"dropout": 0.1}}',
  gateMetric: "test_roc_auc",
  gateDirection: "higher",
  gateMargin: "0.01",
  canarySteps: "10, 50, 100",
  canaryEveryMinutes: "10",
  cooldownMinutes: "",
  productionDays: "",
};

describe("the policy editor's input", () => {
  it("merges the typed fields over the JSON of the others, leaving empty boxes to their defaults", () => {
    const out = policyInput(draft);
    expect("input" in out && out.input).toEqual({
      name: "churn-retrain",
      model: "churn-model",
      endpoint: "churn-api",
      triggers: ["manual", "data_drift"],
      spec: { batchSize: 32, dataset: { name: "churn" }, target: "churned", epochs: 3, model: { dropout: 0.1, hiddenLayers: [16, 8] } },
      gate: { metric: "test_roc_auc", direction: "higher", margin: 0.01 },
      rollout: { steps: [10, 50, 100], everyMinutes: 10 },
    });
  });

  it("adds labelled production rows only when given their days", () => {
    const out = policyInput({ ...draft, productionDays: "14" });
    expect("input" in out && out.input.productionRows).toEqual({ enabled: true, days: 14 });
    const none = policyInput(draft);
    expect("input" in none && "productionRows" in none.input).toBe(false);
  });

  it("names the spec when its JSON is not an object", () => {
    expect(policyInput({ ...draft, extraSpec: "{" })).toMatchObject({ error: { field: "spec", message: expect.stringMatching(/not valid JSON/) } });
    expect(policyInput({ ...draft, extraSpec: "[1]" })).toMatchObject({ error: { field: "spec" } });
  });

  it("sends what is not a number as NaN, for the server to name", () => {
    const out = policyInput({ ...draft, epochs: "many" });
    expect("input" in out && out.input.spec.epochs).toBeNaN();
  });
});
