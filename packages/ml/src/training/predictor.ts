import type { tf } from "../tf";
import { argMax } from "../metrics/classification";
import { createRowEncoder } from "./encode";
import { predictMatrix } from "./network";
import type { Preprocessing } from "./preprocess";
import type { Prediction, Row } from "./types";

/**
 * Raw rows in, predictions out: the stored preprocessing, then one tensor for the batch, one
 * `predict`, one read back. The same function serves the in-memory and the reloaded pipeline, so
 * both answer alike.
 */
export function createPredictor({ model, preprocessing }: { model: tf.LayersModel; preprocessing: Preprocessing }): (rows: Row[]) => Prediction[] {
  const encode = createRowEncoder(preprocessing);
  const { width, target } = preprocessing;
  return (rows) => {
    const outputs = predictMatrix(model, encode(rows), rows.length, width);
    if (target.task === "regression") {
      return Array.from({ length: rows.length }, (_, i) => ({ value: (outputs[i] as number) * target.std + target.mean }));
    }
    const { labels } = target;
    if (target.task === "binary") {
      const [negative = "", positive = ""] = labels;
      return Array.from({ length: rows.length }, (_, i) => {
        const p = outputs[i] as number;
        return { label: p > 0.5 ? positive : negative, probabilities: Object.fromEntries([[negative, 1 - p], [positive, p]]) };
      });
    }
    const k = labels.length;
    return Array.from({ length: rows.length }, (_, i) => {
      const row = outputs.subarray(i * k, (i + 1) * k);
      return { label: labels[argMax(row)] ?? "", probabilities: Object.fromEntries(labels.map((l, j) => [l, row[j] as number])) };
    });
  };
}
