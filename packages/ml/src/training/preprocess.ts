import type { ColumnType } from "@gantry/schema";

import { cellToCategory, cellToNumber, compareText } from "./cells";
import type { TargetInfo } from "./task";
import type { ColumnSchema, Row, Signature } from "./types";

/*
 * Preprocessing state, fitted on the training split only and stored in the pipeline as plain
 * JSON, so the served model applies exactly the transform it was trained with.
 */

/** Numbers (numeric, integer, datetime as epoch ms): standardised; missing → training mean (+ indicator). */
export type NumericEncoding = { kind: "numeric"; name: string; type: ColumnType; mean: number; std: number; missingIndicator: boolean };
/** Booleans: 0/1, missing → training share of `true` (+ indicator). */
export type BooleanEncoding = { kind: "boolean"; name: string; type: ColumnType; mean: number; missingIndicator: boolean };
/**
 * One-hot over the most frequent training categories. `otherSlot` exists when training had more
 * categories than kept: rarer values (and unseen ones at predict time) go there. Without it an
 * unseen value encodes as all zeros, so it adds nothing rather than an untrained weight.
 * `missingSlot` exists when training had missing values; otherwise missing encodes as zeros.
 */
export type CategoricalEncoding = { kind: "categorical"; name: string; type: ColumnType; categories: string[]; otherSlot: boolean; missingSlot: boolean };
export type FeatureEncoding = NumericEncoding | BooleanEncoding | CategoricalEncoding;

export type TargetEncoding = { name: string } & (
  | { task: "binary"; labels: string[] }
  | { task: "multiclass"; labels: string[] }
  /** The network predicts the standardised target; predictions are `output · std + mean`. */
  | { task: "regression"; mean: number; std: number }
);

export type Preprocessing = { features: FeatureEncoding[]; width: number; target: TargetEncoding };

export const maxCategories = 50;

export function fitPreprocessing({
  rows,
  features,
  target,
  targetInfo,
  log,
}: {
  /** The training split. */
  rows: Row[];
  features: ColumnSchema[];
  target: ColumnSchema;
  targetInfo: TargetInfo;
  log: (message: string) => void;
}): Preprocessing {
  const encodings: FeatureEncoding[] = [];
  for (const column of features) {
    const encoding = column.type === "categorical" ? fitCategorical(rows, column) : fitNumeric(rows, column);
    if (encoding) encodings.push(encoding);
    else log(`feature column '${column.name}' has no values in the training split: dropped`);
  }
  let targetEncoding: TargetEncoding;
  if (targetInfo.task === "regression") {
    const { mean, std } = moments(rows.map((r) => cellToNumber(r[target.name], target.type)).filter((v): v is number => typeof v === "number"));
    targetEncoding = { name: target.name, task: "regression", mean, std };
  } else {
    targetEncoding = { name: target.name, task: targetInfo.task, labels: targetInfo.labels };
  }
  return { features: encodings, width: encodings.reduce((sum, e) => sum + encodingWidth(e), 0), target: targetEncoding };
}

export function encodingWidth(encoding: FeatureEncoding): number {
  if (encoding.kind === "categorical") return encoding.categories.length + (encoding.otherSlot ? 1 : 0) + (encoding.missingSlot ? 1 : 0);
  return encoding.missingIndicator ? 2 : 1;
}

function fitNumeric(rows: Row[], column: ColumnSchema): NumericEncoding | BooleanEncoding | undefined {
  const values: number[] = [];
  for (const row of rows) {
    const value = cellToNumber(row[column.name], column.type);
    if (typeof value === "number") values.push(value);
  }
  if (values.length === 0) return undefined;
  const { mean, std } = moments(values);
  const missingIndicator = values.length < rows.length;
  if (column.type === "boolean") return { kind: "boolean", name: column.name, type: column.type, mean, missingIndicator };
  return { kind: "numeric", name: column.name, type: column.type, mean, std, missingIndicator };
}

function fitCategorical(rows: Row[], column: ColumnSchema): CategoricalEncoding | undefined {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const row of rows) {
    const value = cellToCategory(row[column.name]);
    if (value === null) missing++;
    else counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  if (counts.size === 0) return undefined;
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0])).map(([value]) => value);
  return {
    kind: "categorical",
    name: column.name,
    type: column.type,
    categories: ranked.slice(0, maxCategories),
    otherSlot: ranked.length > maxCategories,
    missingSlot: missing > 0,
  };
}

/** Mean and population standard deviation; a zero deviation becomes 1 so constants encode as 0. */
export function moments(values: number[]): { mean: number; std: number } {
  if (values.length === 0) return { mean: 0, std: 1 };
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / values.length);
  return { mean, std: std > 0 ? std : 1 };
}

/** A column seen with missing values in training may be left out at predict time; the others are required. */
export function signatureOf(preprocessing: Preprocessing): Signature {
  const { target } = preprocessing;
  return {
    inputs: preprocessing.features.map((e) =>
      e.kind === "categorical"
        ? { name: e.name, type: e.type, required: !e.missingSlot, categories: e.categories }
        : { name: e.name, type: e.type, required: !e.missingIndicator },
    ),
    task: target.task,
    target: target.name,
    ...(target.task === "regression" ? {} : { labels: target.labels }),
  };
}
