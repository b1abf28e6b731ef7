import { describe, expect, it } from "vitest";

import type { DatasetColumn } from "@gantry/schema/datasets";
import { ZTrainingSpec } from "@gantry/schema/training";

import { defaultDraft, DraftInvalid, draftToSpec, featuresOf, guessTarget } from "./spec-draft";

const col = (name: string, type: DatasetColumn["type"]): DatasetColumn => ({ name, type, inferredType: type });
const columns = [col("age", "integer"), col("plan", "categorical"), col("signup", "datetime"), col("churned", "boolean")];
const draft = (change: Partial<ReturnType<typeof defaultDraft>> = {}) => ({ ...defaultDraft({ name: "churn", version: 2 }), target: "churned", ...change });

const invalid = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DraftInvalid) return error.error;
    throw error;
  }
  throw new Error("expected DraftInvalid");
};

describe("draftToSpec", () => {
  it("turns the form's defaults into a spec the API's schema accepts, leaving features to the server's default", () => {
    const spec = draftToSpec(draft(), columns);
    expect(spec).toMatchObject({ dataset: { name: "churn", version: 2 }, target: "churned", model: { hiddenLayers: [64, 32], activation: "relu", dropout: 0, l2: 0 }, epochs: 20, batchSize: 256, learningRate: 0.001, seed: 42 });
    expect(spec).not.toHaveProperty("features");
    expect(spec).not.toHaveProperty("task");
    expect(spec).not.toHaveProperty("earlyStopping");
    expect(ZTrainingSpec.safeParse(spec).success).toBe(true);
  });

  it("sends features when some are left out, the time column and early stopping when chosen", () => {
    const spec = draftToSpec(draft({ excluded: ["plan"], split: { kind: "time", column: "signup", validation: "0.2", test: "" }, earlyStopping: true, patience: "3", classWeights: "balanced", task: "binary" }), columns);
    expect(spec.features).toEqual(["age"]);
    expect(spec.split).toEqual({ kind: "time", column: "signup", validation: 0.2, test: undefined });
    expect(spec).toMatchObject({ earlyStopping: { patience: 3 }, classWeights: "balanced", task: "binary" });
    expect(ZTrainingSpec.parse(spec).split).toEqual({ kind: "time", column: "signup", validation: 0.2, test: 0.2 });
  });

  it("reads hidden layers as a list ('' is none) and refuses what is not one, naming the field under its prefix", () => {
    expect(draftToSpec(draft({ hiddenLayers: "128 64,  8" }), columns).model?.hiddenLayers).toEqual([128, 64, 8]);
    expect(draftToSpec(draft({ hiddenLayers: "" }), columns).model?.hiddenLayers).toEqual([]);
    expect(invalid(() => draftToSpec(draft({ hiddenLayers: "64, x" }), columns))).toMatchObject({ field: "spec.model.hiddenLayers" });
    expect(invalid(() => draftToSpec(draft({ epochs: "ten" }), columns, "config.base"))).toEqual({ field: "config.base.epochs", message: "epochs must be a number" });
  });

  it("leaves out numbers left empty, so the API's defaults apply", () => {
    const spec = draftToSpec(draft({ epochs: "", seed: " ", runName: "  ", experiment: "" }), columns);
    expect(spec).not.toHaveProperty("epochs");
    expect(spec).not.toHaveProperty("seed");
    expect(spec).not.toHaveProperty("runName");
    expect(spec).not.toHaveProperty("experiment");
  });
});

describe("targets and features", () => {
  it("guesses a target by name, else the last column", () => {
    expect(guessTarget([col("label", "boolean"), col("x", "numeric")])).toBe("label");
    expect(guessTarget(columns)).toBe("churned");
    expect(guessTarget([])).toBe("");
  });

  it("features are every column but the target, the time column and the excluded", () => {
    expect(featuresOf(draft(), columns)).toEqual(["age", "plan", "signup"]);
    expect(featuresOf(draft({ split: { kind: "time", column: "signup", validation: "", test: "" }, excluded: ["age"] }), columns)).toEqual(["plan"]);
  });
});
