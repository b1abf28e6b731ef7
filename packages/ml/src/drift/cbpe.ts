import { fail, requireOpenUnit } from "../stats/guards";

/*
 * NannyML's confidence-based performance estimation (CBPE) for binary classification, without
 * labels (spec §4; NannyML docs/how_it_works/performance_estimation.rst and
 * nannyml/performance_estimation/confidence_based/metrics.py). With a calibrated score p̂, a row
 * predicted positive is a true positive with probability p̂ and a false positive with 1 − p̂; a row
 * predicted negative is a false negative with p̂ and a true negative with 1 − p̂. Summing gives the
 * expected confusion matrix.
 *
 * NannyML first calibrates p̂ on labelled reference data (isotonic regression); that step is not
 * done here: pass scores that are already calibrated, or the estimates inherit their bias.
 */

export type CbpeInput = {
  /** Calibrated P(y = 1) per row, each in [0, 1]. */
  probabilities: number[];
  /** Rows with p̂ ≥ threshold are predicted positive. Default 0.5. Ignored when `predictions` is given. */
  threshold?: number;
  /** The model's own 0/1 predictions, when they are not simply p̂ ≥ threshold. */
  predictions?: number[];
};

export type ExpectedConfusionMatrix = {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
};

export type CbpeEstimate = {
  rows: number;
  expected: ExpectedConfusionMatrix;
  accuracy: number;
  /** null where the metric's denominator is 0 (NannyML reports 0 there). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** null when the expected positives or negatives are 0. */
  rocAuc: number | null;
};

/** numpy.round(x, 5): scale, round half to even, scale back. */
function round5(x: number): number {
  const y = x * 1e5;
  let r = Math.round(y);
  if (Math.abs(y % 1) === 0.5 && r % 2 !== 0) r -= 1;
  return r / 1e5;
}

/**
 * NannyML's `estimate_roc_auc` (with calibrated = uncalibrated scores): rows sorted by p̂
 * descending; after k rows the expected true positives are tps_k = Σp̂ and false positives
 * fps_k = k − tps_k; both rounded to 5 decimals as NannyML does, normalised by their totals, and
 * integrated with the trapezoid rule from (0, 0) (sklearn.metrics.auc).
 */
export function estimateRocAuc(probabilities: number[]): number | null {
  const sorted = [...probabilities].sort((a, b) => b - a);
  const tps = [0];
  const fps = [0];
  let cumulative = 0;
  sorted.forEach((p, k) => {
    cumulative += p;
    tps.push(round5(cumulative));
    fps.push(round5(1 + k - cumulative));
  });
  const tpTotal = tps[tps.length - 1] ?? 0;
  const fpTotal = fps[fps.length - 1] ?? 0;
  if (tpTotal === 0 || fpTotal === 0) return null;
  let area = 0;
  for (let i = 1; i < tps.length; i++) {
    const dx = (fps[i] ?? 0) / fpTotal - (fps[i - 1] ?? 0) / fpTotal;
    area += (dx * ((tps[i] ?? 0) / tpTotal + (tps[i - 1] ?? 0) / tpTotal)) / 2;
  }
  return area;
}

const ratio = (numerator: number, denominator: number): number | null => (denominator === 0 ? null : numerator / denominator);

export function cbpeEstimate(input: CbpeInput): CbpeEstimate {
  const { probabilities, predictions } = input;
  const threshold = requireOpenUnit(input.threshold ?? 0.5, "threshold");
  if (probabilities.length === 0) fail("probabilities", "must not be empty");
  probabilities.forEach((p, i) => {
    if (!Number.isFinite(p) || p < 0 || p > 1) fail(`probabilities[${i}]`, `must be in [0, 1], got ${p}`);
  });
  if (predictions !== undefined) {
    if (predictions.length !== probabilities.length)
      fail("predictions", `has ${predictions.length} entries for ${probabilities.length} probabilities`);
    predictions.forEach((y, i) => {
      if (y !== 0 && y !== 1) fail(`predictions[${i}]`, `must be 0 or 1, got ${y}`);
    });
  }

  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  probabilities.forEach((p, i) => {
    const positive = predictions ? predictions[i] === 1 : p >= threshold;
    if (positive) {
      tp += p;
      fp += 1 - p;
    } else {
      fn += p;
      tn += 1 - p;
    }
  });
  const rows = probabilities.length;
  return {
    rows,
    expected: { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn },
    accuracy: (tp + tn) / rows,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(tp, tp + 0.5 * (fp + fn)),
    rocAuc: estimateRocAuc(probabilities),
  };
}
