import { describe, expect, it } from "vitest";

import { cbpeEstimate, estimateRocAuc } from "./cbpe";

const invalid = (field: string) => expect.objectContaining({ name: "GantryError", code: "INVALID_INPUT", field });

/*
 * Reference values: numpy 2.4.6, by hand after NannyML's estimate_* functions
 * (nannyml/performance_estimation/confidence_based/metrics.py); sklearn is not installed here, so
 * np.trapezoid stands in for sklearn.metrics.auc (the same trapezoid rule on an increasing x).
 * Re-run with python3:
 *
 *   import numpy as np
 *   p = np.array([0.95, 0.91, 0.85, 0.8, 0.77, 0.72, 0.66, 0.61, 0.55, 0.51,
 *                 0.5, 0.47, 0.42, 0.38, 0.33, 0.29, 0.21, 0.15, 0.08, 0.03, 0.66, 0.42])
 *   y_pred = (p >= 0.5).astype(int)
 *   TP = np.sum(np.where(y_pred == 1, p, 0)); FP = np.sum(np.where(y_pred == 1, 1 - p, 0))
 *   FN = np.sum(np.where(y_pred == 0, p, 0)); TN = np.sum(np.where(y_pred == 0, 1 - p, 0))
 *   print(TP, FP, TN, FN, (TP + TN) / len(p), TP / (TP + FP), TP / (TP + FN), TP / (TP + 0.5 * (FP + FN)))
 *   idx = np.argsort(p)[::-1]; s = p[idx]          # estimate_roc_auc, calibrated = uncalibrated
 *   tps = np.cumsum(s); fps = 1 + np.arange(len(s)) - tps
 *   tps = np.round(np.r_[0, tps], 5); fps = np.round(np.r_[0, fps], 5)
 *   print(repr(float(np.trapezoid(tps / tps[-1], fps / fps[-1]))))
 */
const probabilities = [0.95, 0.91, 0.85, 0.8, 0.77, 0.72, 0.66, 0.61, 0.55, 0.51, 0.5, 0.47, 0.42, 0.38, 0.33, 0.29, 0.21, 0.15, 0.08, 0.03, 0.66, 0.42];

describe("cbpeEstimate", () => {
  it("matches the by-hand expected confusion matrix and metrics", () => {
    const r = cbpeEstimate({ probabilities });
    expect(r.rows).toBe(22);
    expect(r.expected.truePositives).toBeCloseTo(8.49, 12);
    expect(r.expected.falsePositives).toBeCloseTo(3.51, 12);
    expect(r.expected.trueNegatives).toBeCloseTo(7.22, 12);
    expect(r.expected.falseNegatives).toBeCloseTo(2.78, 12);
    expect(r.accuracy).toBeCloseTo(0.7140909090909091, 12);
    expect(r.precision).toBeCloseTo(0.7075, 12);
    expect(r.recall).toBeCloseTo(0.7533274179236913, 12);
    expect(r.f1).toBeCloseTo(0.7296948861194672, 12);
    expect(r.rocAuc).toBeCloseTo(0.7967490330951459, 10);
  });

  it("uses the model's own predictions when given", () => {
    const r = cbpeEstimate({ probabilities: [0.9, 0.6, 0.2], predictions: [1, 0, 0] });
    expect(r.expected).toEqual({ truePositives: 0.9, falsePositives: expect.closeTo(0.1, 12), trueNegatives: expect.closeTo(1.2, 12), falseNegatives: expect.closeTo(0.8, 12) });
  });

  it("reports precision as null when nothing is predicted positive", () => {
    const r = cbpeEstimate({ probabilities: [0.1, 0.2, 0.3] });
    expect(r.precision).toBeNull();
    expect(r.accuracy).toBeCloseTo(0.8, 12);
  });

  it("rejects probabilities outside [0, 1] and a threshold outside (0, 1)", () => {
    expect(() => cbpeEstimate({ probabilities: [0.2, 1.2] })).toThrow(invalid("probabilities[1]"));
    expect(() => cbpeEstimate({ probabilities: [0.2], threshold: 1 })).toThrow(invalid("threshold"));
    expect(() => cbpeEstimate({ probabilities: [0.2], predictions: [2] })).toThrow(invalid("predictions[0]"));
  });
});

describe("estimateRocAuc", () => {
  it("is undefined (null) when every score is 0 or every score is 1", () => {
    expect(estimateRocAuc([0, 0])).toBeNull();
    expect(estimateRocAuc([1, 1])).toBeNull();
  });
});
