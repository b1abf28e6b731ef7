import { accuracy, argMax, confusionMatrix, logLoss, precisionRecallF1 } from "./classification";
import { mae, r2, rmse } from "./regression";
import { macroRocAucOvr, rocAuc, rocCurve } from "./roc";
import type { RocCurve } from "./roc";

export type ClassificationEvaluation = {
  metrics: Record<string, number>;
  confusionMatrix: { labels: string[]; matrix: number[][] };
  rocCurve?: RocCurve;
};

/**
 * accuracy, precision, recall, f1 (binary: of the positive class, the second label; multiclass:
 * macro), roc_auc (binary; multiclass: macro one-vs-rest) when defined, and log_loss.
 */
export function evaluateClassification({
  labels,
  yTrue,
  probabilities,
}: {
  labels: string[];
  yTrue: ArrayLike<number>;
  /** Per row, the probability of each label, in label order. */
  probabilities: ArrayLike<number>[];
}): ClassificationEvaluation {
  const k = labels.length;
  const binary = k === 2;
  const yPred = probabilities.map(argMax);
  const scores = binary ? probabilities.map((row) => row[1] as number) : [];
  const isPositive = binary ? Array.from(yTrue, (y) => y === 1) : [];
  const { precision, recall, f1 } = precisionRecallF1({ yTrue, yPred, k, ...(binary ? { positive: 1 } : {}) });
  const auc = binary ? rocAuc(isPositive, scores) : macroRocAucOvr(yTrue, probabilities, k);
  const curve = binary ? rocCurve(isPositive, scores) : undefined;
  return {
    metrics: {
      accuracy: accuracy(yTrue, yPred),
      precision,
      recall,
      f1,
      ...(auc === undefined ? {} : { roc_auc: auc }),
      log_loss: logLoss(yTrue, probabilities),
    },
    confusionMatrix: { labels, matrix: confusionMatrix(yTrue, yPred, k) },
    ...(curve ? { rocCurve: curve } : {}),
  };
}

export function evaluateRegression(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Record<string, number> {
  return { rmse: rmse(yTrue, yPred), mae: mae(yTrue, yPred), r2: r2(yTrue, yPred) };
}

export const prefixKeys = (prefix: string, metrics: Record<string, number>) =>
  Object.fromEntries(Object.entries(metrics).map(([key, value]) => [`${prefix}${key}`, value]));
