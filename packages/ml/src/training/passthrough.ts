import type { TrainingTask } from "@gantry/schema";
import { GantryError } from "@gantry/schema/errors";

import type { tf } from "../tf";
import { argMax } from "../metrics/classification";
import { cellToNumber } from "./cells";
import { predictMatrix } from "./network";
import type { Prediction, Row } from "./types";

/*
 * Preprocessing of an uploaded model: nothing was fitted, so inputs go in as given, one column
 * per input in the model's input order. `units` is the output width: a binary model answers with
 * one sigmoid unit (P(positive)) or two softmax units (P(negative), P(positive)).
 */
export type PassthroughPreprocessing = {
  kind: "passthrough";
  inputs: { name: string; type: "numeric" | "integer" | "boolean" }[];
  output: { task: TrainingTask; units: number; labels?: string[] };
};

export function createPassthroughPredictor({ model, preprocessing }: { model: tf.LayersModel; preprocessing: PassthroughPreprocessing }): (rows: Row[]) => Prediction[] {
  const { inputs, output } = preprocessing;
  const width = inputs.length;
  const encode = (rows: Row[]) => {
    const x = new Float32Array(rows.length * width);
    rows.forEach((row, i) => {
      inputs.forEach(({ name, type }, j) => {
        const value = cellToNumber(row[name], type);
        if (value === null) throw new GantryError("INVALID_INPUT", `input '${name}' is missing (an uploaded model has no imputation)`, { field: name });
        if (value === undefined) {
          throw new GantryError("INVALID_INPUT", `input '${name}' must be ${type === "boolean" ? "true or false" : "a number"}, got ${JSON.stringify(row[name])}`, { field: name });
        }
        x[i * width + j] = value;
      });
    });
    return x;
  };
  return (rows) => {
    const outputs = predictMatrix(model, encode(rows), rows.length, width);
    const k = output.units;
    if (output.task === "regression") return Array.from({ length: rows.length }, (_, i) => ({ value: outputs[i] as number }));
    const labels = output.labels ?? [];
    if (output.task === "binary") {
      const [negative = "", positive = ""] = labels;
      return Array.from({ length: rows.length }, (_, i) => {
        const p = outputs[i * k + k - 1] as number;
        return { label: p > 0.5 ? positive : negative, probabilities: Object.fromEntries([[negative, 1 - p], [positive, p]]) };
      });
    }
    return Array.from({ length: rows.length }, (_, i) => {
      const row = outputs.subarray(i * k, (i + 1) * k);
      return { label: labels[argMax(row)] ?? "", probabilities: Object.fromEntries(labels.map((l, j) => [l, row[j] as number])) };
    });
  };
}
