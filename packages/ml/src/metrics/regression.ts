/* Regression metrics, as scikit-learn defines them. */

type Numbers = ArrayLike<number>;

export function rmse(yTrue: Numbers, yPred: Numbers): number {
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += ((yTrue[i] as number) - (yPred[i] as number)) ** 2;
  return Math.sqrt(sum / yTrue.length);
}

export function mae(yTrue: Numbers, yPred: Numbers): number {
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += Math.abs((yTrue[i] as number) - (yPred[i] as number));
  return sum / yTrue.length;
}

/** Coefficient of determination; a constant truth scores 1 when predicted exactly, else 0 (scikit-learn's `force_finite`). */
export function r2(yTrue: Numbers, yPred: Numbers): number {
  let mean = 0;
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i] as number;
  mean /= yTrue.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    residual += ((yTrue[i] as number) - (yPred[i] as number)) ** 2;
    total += ((yTrue[i] as number) - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}
