import { describe, expect, it } from "vitest";

import { accuracy, confusionMatrix, logLoss, precisionRecallF1 } from "./classification";
import { evaluateClassification } from "./evaluate";

describe("classification metrics", () => {
  it("accuracy: scikit-learn's accuracy_score docstring (y_pred [0,2,1,3], y_true [0,1,2,3] → 0.5)", () => {
    expect(accuracy([0, 1, 2, 3], [0, 2, 1, 3])).toBe(0.5);
  });

  it("confusion matrix: scikit-learn's confusion_matrix docstring", () => {
    // y_true = [2, 0, 2, 2, 0, 1], y_pred = [0, 0, 2, 2, 0, 2] → [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
    expect(confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], 3)).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
  });

  it("macro precision/recall/f1: scikit-learn's precision_recall_fscore_support docstring", () => {
    // y_true = [cat, dog, pig, cat, dog, pig], y_pred = [cat, pig, dog, cat, cat, dog], average='macro'
    // → (0.22…, 0.33…, 0.26…). cat = 0, dog = 1, pig = 2.
    const scores = precisionRecallF1({ yTrue: [0, 1, 2, 0, 1, 2], yPred: [0, 2, 1, 0, 0, 1], k: 3 });
    expect(scores.precision).toBeCloseTo(2 / 9, 12);
    expect(scores.recall).toBeCloseTo(1 / 3, 12);
    expect(scores.f1).toBeCloseTo(4 / 15, 12);
  });

  it("binary precision/recall/f1 of the positive class (by hand: tp 2, fp 1, fn 2)", () => {
    const scores = precisionRecallF1({ yTrue: [1, 1, 1, 1, 0, 0], yPred: [1, 1, 0, 0, 1, 0], k: 2, positive: 1 });
    expect(scores.precision).toBeCloseTo(2 / 3, 12);
    expect(scores.recall).toBeCloseTo(1 / 2, 12);
    expect(scores.f1).toBeCloseTo(4 / 7, 12);
    // No predicted positives: precision (and f1) are 0, as scikit-learn's zero_division default.
    expect(precisionRecallF1({ yTrue: [1, 0], yPred: [0, 0], k: 2, positive: 1 })).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it("log loss: scikit-learn's log_loss docstring (0.21616…)", () => {
    // log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]); ham = 0, spam = 1.
    expect(logLoss([1, 0, 0, 1], [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]])).toBeCloseTo(0.21616187468057912, 12);
    // A certain wrong answer is clipped at 1e-15, not infinite.
    expect(logLoss([0], [[0, 1]])).toBeCloseTo(-Math.log(1e-15), 6);
  });

  it("evaluateClassification puts them together (binary: positive class = second label)", () => {
    const result = evaluateClassification({ labels: ["no", "yes"], yTrue: [0, 0, 1, 1], probabilities: [[0.9, 0.1], [0.6, 0.4], [0.65, 0.35], [0.2, 0.8]] });
    expect(result.metrics.accuracy).toBe(0.75);
    expect(result.metrics.roc_auc).toBe(0.75);
    expect(result.metrics.precision).toBe(1);
    expect(result.metrics.recall).toBe(0.5);
    expect(result.confusionMatrix).toEqual({ labels: ["no", "yes"], matrix: [[2, 0], [1, 1]] });
    expect(result.rocCurve?.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
  });
});
