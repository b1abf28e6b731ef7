/*
 * Classification metrics over class indices (0 … k-1). Written here rather than imported so the
 * definitions are ours to state; they follow scikit-learn's (tests check against its documented
 * examples).
 */

type Ints = ArrayLike<number>;

export function accuracy(yTrue: Ints, yPred: Ints): number {
  if (yTrue.length === 0) return Number.NaN;
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

/** Rows are true classes, columns predicted classes. */
export function confusionMatrix(yTrue: Ints, yPred: Ints, k: number): number[][] {
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const row = matrix[yTrue[i] as number];
    if (row) row[yPred[i] as number] = (row[yPred[i] as number] ?? 0) + 1;
  }
  return matrix;
}

export type PrecisionRecallF1 = { precision: number; recall: number; f1: number };

/**
 * `positive`: the scores of that class alone (binary). Otherwise the macro average over the
 * classes present in either the truth or the predictions; an empty denominator counts as 0.
 */
export function precisionRecallF1({ yTrue, yPred, k, positive }: { yTrue: Ints; yPred: Ints; k: number; positive?: number }): PrecisionRecallF1 {
  const matrix = confusionMatrix(yTrue, yPred, k);
  const perClass = (c: number) => {
    const tp = matrix[c]?.[c] ?? 0;
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < k; j++) {
      predicted += matrix[j]?.[c] ?? 0;
      actual += matrix[c]?.[j] ?? 0;
    }
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = actual > 0 ? tp / actual : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, present: predicted + actual > 0 };
  };
  if (positive !== undefined) {
    const { precision, recall, f1 } = perClass(positive);
    return { precision, recall, f1 };
  }
  const present = Array.from({ length: k }, (_, c) => perClass(c)).filter((s) => s.present);
  const mean = (key: keyof PrecisionRecallF1) => (present.length ? present.reduce((sum, s) => sum + s[key], 0) / present.length : 0);
  return { precision: mean("precision"), recall: mean("recall"), f1: mean("f1") };
}

/** Mean negative log-likelihood of the true class; probabilities clipped to [1e-15, 1 - 1e-15]. */
export function logLoss(yTrue: Ints, probabilities: ArrayLike<number>[]): number {
  const eps = 1e-15;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const row = probabilities[i];
    if (!row) continue;
    let sum = 0;
    for (let j = 0; j < row.length; j++) sum += row[j] as number;
    const p = (row[yTrue[i] as number] ?? 0) / (sum > 0 ? sum : 1);
    total -= Math.log(Math.min(1 - eps, Math.max(eps, p)));
  }
  return total / yTrue.length;
}

/** The most probable class; ties go to the lower index (so a binary score must exceed 0.5). */
export function argMax(row: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if ((row[j] as number) > (row[best] as number)) best = j;
  return best;
}
