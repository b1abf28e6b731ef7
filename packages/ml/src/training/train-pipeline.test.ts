import { beforeAll, describe, expect, it } from "vitest";

import { selectBackend, tf } from "../backend";
import { binaryTable, multiclassTable, regressionTable, specFor } from "../testing/tables";
import { loadPipeline } from "./serialize";
import { trainPipeline } from "./train-pipeline";
import type { EpochReport } from "./types";

beforeAll(async () => {
  await selectBackend();
});

const quick = { epochs: 20, batchSize: 32, learningRate: 0.01, model: { hiddenLayers: [16] } };

describe("trainPipeline", () => {
  it("learns a separable binary task, reports every epoch, and leaks no tensors", async () => {
    const before = tf.memory().numTensors;
    const reports: EpochReport[] = [];
    const lines: string[] = [];
    const result = await trainPipeline({
      spec: specFor({ target: "label", ...quick }),
      table: binaryTable(),
      onEpoch: (r) => {
        reports.push(r);
      },
      log: (l) => lines.push(l),
    });

    expect(result.status).toBe("completed");
    expect(result.task).toBe("binary");
    expect(result.testMetrics.test_roc_auc).toBeGreaterThan(0.9);
    expect(result.testMetrics.test_accuracy).toBeGreaterThan(0.85);
    expect(Object.keys(result.testMetrics).sort()).toEqual(["test_accuracy", "test_f1", "test_log_loss", "test_precision", "test_recall", "test_roc_auc"]);
    expect(reports.map((r) => r.epoch)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(result.history).toEqual(reports);
    expect(Object.keys(reports[0]?.metrics ?? {})).toEqual(["loss", "accuracy", "val_loss", "val_accuracy"]);
    expect(result.bestEpoch).toBe(20);

    expect(result.splitSizes).toEqual({ train: 280, validation: 40, test: 80 });
    expect(result.confusionMatrix?.labels).toEqual(["no", "yes"]);
    expect(result.confusionMatrix?.matrix.flat().reduce((a, b) => a + b)).toBe(80);
    expect(result.rocCurve?.fpr.length).toBeGreaterThan(2);
    expect(result.signature).toEqual({
      inputs: [
        { name: "x1", type: "numeric", required: true },
        { name: "x2", type: "numeric", required: false },
        { name: "color", type: "categorical", required: false, categories: expect.any(Array) },
        { name: "flag", type: "boolean", required: true },
      ],
      task: "binary",
      target: "label",
      labels: ["no", "yes"],
    });
    expect(lines).toContain("feature column 'notes' is text: dropped (text features are not supported)");
    expect(result.params).toMatchObject({ task: "binary", target: "label", features: "4", hidden_layers: "16", learning_rate: "0.01", batch_size: "32", train_rows: "280", backend: "wasm" });

    expect(result.reference.rows).toBe(80);
    expect(Object.keys(result.reference.features)).toEqual(["x1", "x2", "color", "flag"]);
    expect(result.reference.features.x1).toMatchObject({ kind: "numeric", count: 80 });
    expect(result.reference.features.color?.kind).toBe("categorical");
    expect(result.reference.predictions.score).toMatchObject({ kind: "numeric", count: 80 });
    expect(result.reference.predictions.label).toMatchObject({ kind: "categorical", count: 80 });

    expect(result.sample.rows).toHaveLength(20);
    const prediction = result.sample.predictions[0];
    if (!prediction || !("probabilities" in prediction)) throw new Error("expected a classification");
    expect(Object.keys(prediction.probabilities)).toEqual(["no", "yes"]);
    expect((prediction.probabilities.no ?? 0) + (prediction.probabilities.yes ?? 0)).toBeCloseTo(1, 6);

    const loaded = await loadPipeline(result.pipeline);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("with no hidden layers is a logistic regression, and still learns", async () => {
    const result = await trainPipeline({ spec: specFor({ target: "label", ...quick, model: { hiddenLayers: [] } }), table: binaryTable() });
    expect(result.params.hidden_layers).toBe("none");
    expect(result.testMetrics.test_roc_auc).toBeGreaterThan(0.9);
    const loaded = await loadPipeline(result.pipeline);
    expect(loaded.predict(result.sample.rows)).toEqual(result.sample.predictions);
    loaded.dispose();
  });

  it("learns a multiclass task (softmax over sorted labels)", async () => {
    const result = await trainPipeline({ spec: specFor({ target: "kind", ...quick }), table: multiclassTable() });
    expect(result.task).toBe("multiclass");
    expect(result.signature.labels).toEqual(["a", "b", "c"]);
    expect(result.testMetrics.test_accuracy).toBeGreaterThan(0.9);
    expect(result.testMetrics.test_roc_auc).toBeGreaterThan(0.95);
    expect(result.rocCurve).toBeUndefined();
    expect(result.confusionMatrix?.matrix).toHaveLength(3);
    expect(Object.keys(result.reference.predictions)).toEqual(["label"]);
  });

  it("learns a regression on a time split (oldest rows train, newest test)", async () => {
    const table = regressionTable();
    const result = await trainPipeline({
      spec: specFor({ target: "y", ...quick, split: { kind: "time", column: "at", validation: 0.1, test: 0.2 } }),
      table,
    });
    expect(result.task).toBe("regression");
    expect(result.testMetrics.test_r2).toBeGreaterThan(0.8);
    expect(Object.keys(result.testMetrics).sort()).toEqual(["test_mae", "test_r2", "test_rmse"]);
    expect(Object.keys(result.history[0]?.metrics ?? {})).toEqual(["loss", "rmse", "mae", "val_loss", "val_rmse", "val_mae"]);
    // The time column is not a feature by default; the test split holds the newest 80 rows.
    expect(result.signature.inputs.map((i) => i.name)).toEqual(["a", "b", "group"]);
    expect(result.sample.rows[0]).toEqual(table.rows[320]);
    expect(result.params).toMatchObject({ split: "time", split_column: "at", test_rows: "80" });
    expect(Object.keys(result.reference.predictions)).toEqual(["value"]);
    expect(result.confusionMatrix).toBeUndefined();
  });
});
