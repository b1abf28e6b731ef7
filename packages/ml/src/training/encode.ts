import { GantryError } from "@gantry/schema/errors";

import { cellToCategory, cellToNumber } from "./cells";
import { encodingWidth } from "./preprocess";
import type { Preprocessing, TargetEncoding } from "./preprocess";
import type { Row } from "./types";

export type RowEncoder = (rows: Row[]) => Float32Array;

/**
 * Compiles the preprocessing state into a function from raw rows to the network's input matrix
 * (row-major, `rows × width`). Built once per pipeline: it is on the serving hot path.
 */
export function createRowEncoder(preprocessing: Preprocessing): RowEncoder {
  const { width } = preprocessing;
  const steps = preprocessing.features.map((encoding) => {
    const start = offsetOf(preprocessing, encoding.name);
    const { name } = encoding;
    if (encoding.kind === "categorical") {
      const slots = new Map(encoding.categories.map((c, i) => [c, start + i]));
      const other = encoding.otherSlot ? start + encoding.categories.length : -1;
      const missing = encoding.missingSlot ? start + encoding.categories.length + (encoding.otherSlot ? 1 : 0) : -1;
      return (row: Row, out: Float32Array, base: number) => {
        const value = cellToCategory(row[name]);
        const slot = value === null ? missing : (slots.get(value) ?? other);
        if (slot >= 0) out[base + slot] = 1;
      };
    }
    const { type, mean, missingIndicator } = encoding;
    const std = encoding.kind === "numeric" ? encoding.std : 1;
    const center = encoding.kind === "numeric" ? mean : 0;
    return (row: Row, out: Float32Array, base: number) => {
      const value = cellToNumber(row[name], type);
      if (value === undefined) {
        const expected = encoding.kind === "boolean" ? "true or false" : type === "datetime" ? "a date (epoch ms or ISO 8601)" : "a number";
        throw new GantryError("INVALID_INPUT", `input '${name}' must be ${expected}, got ${JSON.stringify(row[name])}`, { field: name });
      }
      out[base + start] = ((value ?? mean) - center) / std;
      if (missingIndicator && value === null) out[base + start + 1] = 1;
    };
  });
  return (rows) => {
    const out = new Float32Array(rows.length * width);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as Row;
      for (const step of steps) step(row, out, i * width);
    }
    return out;
  };
}

function offsetOf(preprocessing: Preprocessing, name: string): number {
  let offset = 0;
  for (const e of preprocessing.features) {
    if (e.name === name) return offset;
    offset += encodingWidth(e);
  }
  throw new Error(`no encoding for '${name}'`);
}

export const outputWidth = (target: TargetEncoding) => (target.task === "multiclass" ? target.labels.length : 1);

/**
 * The network's training targets: 0/1 (binary), one-hot (multiclass) or the standardised value
 * (regression); `classes` holds the class index per row for classification metrics and weights.
 */
export function encodeTargets(target: TargetEncoding, rows: Row[]): { y: Float32Array; classes: Int32Array } {
  const width = outputWidth(target);
  const y = new Float32Array(rows.length * width);
  const classes = new Int32Array(rows.length);
  if (target.task === "regression") {
    rows.forEach((row, i) => {
      y[i] = ((cellToNumber(row[target.name], "numeric") ?? target.mean) - target.mean) / target.std;
    });
    return { y, classes };
  }
  const index = new Map(target.labels.map((l, i) => [l, i]));
  rows.forEach((row, i) => {
    const label = cellToCategory(row[target.name]);
    const k = label === null ? undefined : index.get(label);
    if (k === undefined) throw new Error(`row without a known label for '${target.name}': ${JSON.stringify(row[target.name])}`);
    classes[i] = k;
    if (target.task === "binary") y[i] = k;
    else y[i * width + k] = 1;
  });
  return { y, classes };
}
