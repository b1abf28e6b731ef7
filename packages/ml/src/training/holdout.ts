import type { TrainingSpec } from "@gantry/schema";

import { evaluateClassification, evaluateRegression } from "../metrics/evaluate";
import { cellToCategory, cellToNumber, isMissing } from "./cells";
import type { LoadedPipeline } from "./serialize";
import { splitRows } from "./split";
import type { Row, Table } from "./types";

/**
 * The test split of `table` exactly as `trainPipeline` draws it for `spec` (same usable rows, same
 * split, same seed): the holdout a champion/challenger gate scores both models on.
 */
export function holdoutRows(spec: TrainingSpec, table: Table): Row[] {
  const usable = table.rows.flatMap((row, i) => (isMissing(row[spec.target]) ? [] : [i]));
  const parts = splitRows({ table, rows: usable, split: spec.split, seed: spec.seed, log: () => undefined });
  const test = parts.test.length ? parts.test : parts.validation.length ? parts.validation : parts.train;
  return test.map((i) => table.rows[i] as Row);
}

/**
 * A loaded pipeline's metrics on labelled rows (`target` holds the truth): accuracy, precision,
 * recall, f1, roc_auc, log_loss for classifiers (labels in the pipeline's order; rows whose label
 * the model does not know are left out), rmse, mae, r2 for regressors. Keys prefixed `test_`,
 * as a training run's.
 */
export function scorePipeline(pipeline: LoadedPipeline, rows: Row[], target: string): Record<string, number> {
  const predictions = pipeline.predict(rows);
  const { signature } = pipeline;
  if (signature.task === "regression") {
    const truth = rows.map((r) => cellToNumber(r[target], "numeric") ?? Number.NaN);
    const predicted = predictions.map((p) => ("value" in p ? p.value : Number.NaN));
    return Object.fromEntries(Object.entries(evaluateRegression(truth, predicted)).map(([k, v]) => [`test_${k}`, v]));
  }
  const labels = signature.labels ?? [];
  const index = new Map(labels.map((l, i) => [l, i]));
  const known = rows.flatMap((r, i) => {
    const k = index.get(cellToCategory(r[target]) ?? "");
    return k === undefined ? [] : [{ k, p: predictions[i] }];
  });
  const yTrue = known.map((x) => x.k);
  const probabilities = known.map(({ p }) => (p && "probabilities" in p ? labels.map((l) => p.probabilities[l] ?? 0) : labels.map(() => 0)));
  const { metrics } = evaluateClassification({ labels, yTrue, probabilities });
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`test_${k}`, v]));
}
