import { describe, expect, it } from "vitest";

import { macroRocAucOvr, rocAuc, rocCurve } from "./roc";

describe("ROC", () => {
  it("area: scikit-learn's roc_auc_score example (y [0,0,1,1], scores [.1,.4,.35,.8] → 0.75)", () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
  });

  it("area counts tied scores half (by hand: 3.5 of 4 pairs ordered)", () => {
    // positives 0.5, 0.9; negatives 0.5, 0.2 → pairs: tie (½), 1, 1, 1.
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9])).toBe(0.875);
  });

  it("area is undefined with a single class", () => {
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeUndefined();
  });

  it("curve: scikit-learn's roc_curve docstring (< 1.3, which wrote max + 1 for the first threshold)", () => {
    // y = [1, 1, 2, 2], scores = [0.1, 0.4, 0.35, 0.8], pos_label = 2
    expect(rocCurve([false, false, true, true], [0.1, 0.4, 0.35, 0.8])).toEqual({
      fpr: [0, 0, 0.5, 0.5, 1],
      tpr: [0, 0.5, 0.5, 1, 1],
      thresholds: [1.8, 0.8, 0.4, 0.35, 0.1],
    });
  });

  it("curve drops collinear points and is thinned to at most 200 points", () => {
    // Perfect separation: only the corners matter.
    expect(rocCurve([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toEqual({ fpr: [0, 0, 0, 1], tpr: [0, 0.5, 1, 1], thresholds: [1.9, 0.9, 0.8, 0.1] });
    const n = 2000;
    const labels = Array.from({ length: n }, (_, i) => (i * 7919) % 3 === 0);
    const scores = Array.from({ length: n }, (_, i) => ((i * 104729) % n) / n);
    const curve = rocCurve(labels, scores);
    expect(curve?.fpr.length).toBeLessThanOrEqual(200);
    expect(curve?.fpr[0]).toBe(0);
    expect(curve?.fpr.at(-1)).toBe(1);
    expect(curve?.tpr.at(-1)).toBe(1);
  });

  it("multiclass: macro average of one-vs-rest areas (by hand)", () => {
    const yTrue = [0, 1, 2, 0, 1, 2];
    const probabilities = [
      [0.7, 0.2, 0.1], // 0
      [0.3, 0.4, 0.3], // 1
      [0.2, 0.2, 0.6], // 2
      [0.3, 0.5, 0.2], // 0
      [0.1, 0.8, 0.1], // 1
      [0.4, 0.3, 0.3], // 2
    ];
    // class 0: positives .7, .3 vs negatives .3, .2, .1, .4 → .7 beats 4; .3 ties .3 (½), beats .2, .1 → 6.5/8
    // class 1: positives .4, .8 vs .2, .5, .2, .3 → .4 beats 3; .8 beats 4 → 7/8
    // class 2: positives .6, .3 vs .1, .3, .2, .1 → .6 beats 4; .3 ties .3 (½), beats .1, .2, .1 → 3.5 → 7.5/8
    expect(macroRocAucOvr(yTrue, probabilities, 3)).toBeCloseTo((6.5 / 8 + 7 / 8 + 7.5 / 8) / 3, 12);
  });
});
