import { describe, expect, it } from "vitest";

import { binnedRocAuc, estimatesFromScoreHistogram } from "./performance";

/* ROC AUC from binned counts, checked against counting every (positive, negative) pair directly. */

/** The definition: the share of (positive, negative) pairs where the positive scores higher, ties half. */
function pairwiseAuc(scores: number[], labels: boolean[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((sp, i) => {
    if (!labels[i]) return;
    scores.forEach((sn, j) => {
      if (labels[j]) return;
      pairs++;
      wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe("binned ROC AUC", () => {
  it("equals the pairwise definition when every score has its own bin, and counts a shared bin's pairs half", () => {
    const scores = [0.1, 0.35, 0.4, 0.8, 0.65, 0.2, 0.9, 0.55];
    const labels = [false, true, false, true, false, false, true, true];
    // One bin per distinct score, lowest first.
    const bins = [...scores.keys()].sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0)).map((i) => ({ positives: labels[i] ? 1 : 0, negatives: labels[i] ? 0 : 1 }));
    expect(binnedRocAuc(bins)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
    // Scores rounded to one decimal make ties; bins by that value give the same as the pairwise count over the rounded scores.
    const rounded = scores.map((s) => Math.round(s * 10) / 10);
    const values = [...new Set(rounded)].sort((a, b) => a - b);
    const tied = values.map((v) => ({ positives: rounded.filter((r, i) => r === v && labels[i]).length, negatives: rounded.filter((r, i) => r === v && !labels[i]).length }));
    expect(binnedRocAuc(tied)).toBeCloseTo(pairwiseAuc(rounded, labels), 12);
  });

  it("is 1 for a perfect ranking, 0.5 for one bin, and undefined without both classes", () => {
    expect(binnedRocAuc([{ positives: 0, negatives: 5 }, { positives: 3, negatives: 0 }])).toBe(1);
    expect(binnedRocAuc([{ positives: 4, negatives: 6 }])).toBe(0.5);
    expect(binnedRocAuc([{ positives: 4, negatives: 0 }])).toBeNaN();
  });

  it("estimates it from a score histogram with each bin's scores positive with their midpoint's probability", () => {
    // Two bins: [0, 0.5) at 0.25 holding 4 scores, [0.5, 1] at 0.75 holding 4: expected positives 1 and 3, negatives 3 and 1.
    const estimates = estimatesFromScoreHistogram({ edges: [0, 0.5, 1], counts: [4, 4] });
    // U = 3 · (3 + 1/2) + 1 · (0 + 3/2) = 12; P·N = 4 · 4.
    expect(estimates.estimated_roc_auc).toBeCloseTo(12 / 16, 12);
    expect(estimates.estimated_accuracy).toBeCloseTo(0.75, 12);
  });
});
