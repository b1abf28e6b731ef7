import { GantryError } from "@gantry/schema";
import type { TrainingSpecInput } from "@gantry/schema";
import { beforeAll, describe, expect, it } from "vitest";

import { selectBackend, tf } from "../backend";
import { binaryTable, regressionTable, specFor } from "../testing/tables";
import { sampleWeights } from "./class-weights";
import { trainPipeline } from "./train-pipeline";
import type { Table } from "./types";

beforeAll(async () => {
  await selectBackend();
});

describe("cancellation and early stopping", () => {
  it("stops at the batch where shouldStop first answers true", async () => {
    const before = tf.memory().numTensors;
    const stopAtOnce = await trainPipeline({ spec: specFor({ target: "label", epochs: 5 }), table: binaryTable(100), shouldStop: () => true });
    expect(stopAtOnce.status).toBe("cancelled");
    expect(stopAtOnce.history).toEqual([]);
    expect(stopAtOnce.bestEpoch).toBe(0);
    expect(stopAtOnce.pipeline.length).toBeGreaterThan(0);

    // 280 training rows in batches of 100: 3 batch checks an epoch; the 5th check is epoch 2's second batch.
    let checks = 0;
    const result = await trainPipeline({
      spec: specFor({ target: "label", epochs: 5, batchSize: 100 }),
      table: binaryTable(),
      shouldStop: () => ++checks >= 5,
    });
    expect(checks).toBe(5);
    expect(result.status).toBe("cancelled");
    expect(result.history.map((h) => h.epoch)).toEqual([1]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("early stopping ends before the last epoch and keeps the best epoch's weights", async () => {
    const result = await trainPipeline({
      spec: specFor({
        target: "label",
        epochs: 300,
        batchSize: 32,
        learningRate: 0.05,
        model: { hiddenLayers: [32] },
        earlyStopping: { patience: 3, minDelta: 0, restoreBest: true },
      }),
      table: binaryTable(200),
    });
    expect(result.status).toBe("completed");
    expect(result.history.length).toBeLessThan(300);
    expect(result.history.length).toBe(result.bestEpoch + 3);
    const losses = result.history.map((h) => h.metrics.val_loss ?? Infinity);
    expect(losses[result.bestEpoch - 1]).toBe(Math.min(...losses));
    expect(result.params).toMatchObject({ early_stopping: "true", early_stopping_patience: "3" });
  });
});

describe("class weights", () => {
  it("'balanced' weighs class c by n / (k · count_c); a record by label, others 1", () => {
    const classes = Int32Array.from([0, 0, 0, 1]);
    expect(Array.from(sampleWeights({ classWeights: "balanced", labels: ["a", "b"], classes }) ?? [])).toEqual([4 / 6, 4 / 6, 4 / 6, 2].map(Math.fround));
    expect(Array.from(sampleWeights({ classWeights: { b: 3 }, labels: ["a", "b"], classes }) ?? [])).toEqual([1, 1, 1, 3]);
    expect(sampleWeights({ classWeights: undefined, labels: ["a", "b"], classes })).toBeUndefined();
  });
});

describe("errors a person understands", () => {
  const failure = async (spec: Omit<TrainingSpecInput, "dataset">, table: Table = binaryTable(40)) => {
    try {
      await trainPipeline({ spec: specFor({ epochs: 1, ...spec }), table });
    } catch (error) {
      if (error instanceof GantryError) return { code: error.code, field: error.field, message: error.message };
      throw error;
    }
    throw new Error("expected a GantryError");
  };

  it("names the column or setting at fault", async () => {
    expect(await failure({ target: "outcome" })).toEqual({ code: "INVALID_INPUT", field: "target", message: "target column 'outcome' not in dataset" });
    expect(await failure({ target: "label", features: ["x1", "x"] })).toEqual({
      code: "INVALID_INPUT",
      field: "features",
      message: "feature column 'x' not in dataset",
    });
    const constant = binaryTable(40);
    for (const row of constant.rows) row.label = 3;
    expect((await failure({ target: "label" }, constant)).message).toBe("target column 'label' is constant (one value: 3)");
    const some = binaryTable(40);
    const three = { ...some, rows: [...some.rows.filter((r) => r.label === "yes").slice(0, 2), ...some.rows.filter((r) => r.label === "no").slice(0, 1)] };
    expect(await failure({ target: "label" }, three)).toMatchObject({ field: "split", message: expect.stringContaining("too few rows for the split") });
    expect(await failure({ target: "label", task: "regression" })).toMatchObject({
      field: "target",
      message: "target column 'label' is categorical: a regression target must be numeric",
    });
    expect(await failure({ target: "label", features: ["notes"] })).toMatchObject({ field: "features", message: expect.stringContaining("no usable feature columns") });
    expect(await failure({ target: "label", features: ["label", "x1"] })).toMatchObject({ message: "target column 'label' cannot also be a feature" });
    expect(await failure({ target: "label", classWeights: { maybe: 2 } })).toMatchObject({ field: "classWeights", message: expect.stringContaining("'maybe'") });
    expect(await failure({ target: "y", classWeights: "balanced" }, regressionTable(40))).toMatchObject({ field: "classWeights" });
    expect(await failure({ target: "label", split: { kind: "random", validation: 0, test: 0.2 }, earlyStopping: {} })).toMatchObject({
      field: "earlyStopping",
    });
  });
});
