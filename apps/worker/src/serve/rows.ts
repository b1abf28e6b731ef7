import type { Cell, Prediction, Row, Signature } from "@gantry/ml";
import { cellToNumber, isMissing } from "@gantry/ml";
import { GantryError } from "@gantry/schema";

/*
 * Both protocols turn a request into raw rows keyed by input name; this checks each row against
 * the model signature before the pipeline sees it, so a bad value is answered with the row and the
 * column at fault (`instances[3].amount must be a number, got "abc"`), as MLflow's schema
 * enforcement does: an unknown column is refused (never silently ignored), a required column
 * must be present and not null, a value must read as its column's type the way training read it.
 */

export type CompiledSignature = {
  signature: Signature;
  names: Set<string>;
  check: (row: Row, where: string) => void;
};

const bad = (message: string, field: string) => new GantryError("INVALID_INPUT", message, { field });

const describe = (value: unknown) => (typeof value === "string" ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : JSON.stringify(value));

const expected = (type: string) => (type === "boolean" ? "true or false" : type === "datetime" ? "a date (epoch ms or ISO 8601)" : "a finite number");

export function compileSignature(signature: Signature): CompiledSignature {
  const names = new Set(signature.inputs.map((i) => i.name));
  const list = signature.inputs.map((i) => i.name).join(", ");
  const numeric = signature.inputs.filter((i) => i.type === "numeric" || i.type === "integer" || i.type === "boolean" || i.type === "datetime");
  const required = signature.inputs.filter((i) => i.required);
  return {
    signature,
    names,
    check(row, where) {
      for (const key in row) {
        if (!names.has(key)) throw bad(`${where}: unknown input '${key}'; the model takes ${list}`, key);
        const value = row[key];
        if (value !== null && typeof value === "object") throw bad(`${where}.${key} must be a single value, not ${Array.isArray(value) ? "a list" : "an object"}`, key);
      }
      for (const input of required) {
        if (isMissing(row[input.name])) throw bad(`${where}: missing input '${input.name}' (required by the model)`, input.name);
      }
      for (const input of numeric) {
        const value = row[input.name];
        if (cellToNumber(value, input.type) === undefined) throw bad(`${where}.${input.name} must be ${expected(input.type)}, got ${describe(value)}`, input.name);
      }
    },
  };
}

/** A row item of `instances`: an object keyed by input name, or a bare value when the model has one input. */
export function rowOf(item: unknown, compiled: CompiledSignature, where: string): Row {
  if (item !== null && typeof item === "object" && !Array.isArray(item)) return item as Row;
  const only = compiled.signature.inputs.length === 1 ? compiled.signature.inputs[0] : undefined;
  if (only && (item === null || typeof item !== "object")) return { [only.name]: item as Cell };
  throw bad(`${where} must be an object keyed by input name (${[...compiled.names].join(", ")})`, where);
}

/* Outputs: a classifier answers `label` and `probabilities` (in `labels` order); a regressor `value`. */

export type OutputColumns = { label?: string[]; probabilities?: number[][]; value?: number[] };

export function outputColumns(signature: Signature, predictions: Prediction[]): OutputColumns {
  if (signature.task === "regression") return { value: predictions.map((p) => ("value" in p ? p.value : Number.NaN)) };
  const labels = signature.labels ?? [];
  return {
    label: predictions.map((p) => ("label" in p ? p.label : "")),
    probabilities: predictions.map((p) => ("probabilities" in p ? labels.map((l) => p.probabilities[l] ?? Number.NaN) : [])),
  };
}

/** Whether an answer holds NaN or ±Infinity (then it must be written with the tolerant writer). */
export function hasNonFinite(columns: OutputColumns): boolean {
  if (columns.value) return columns.value.some((v) => !Number.isFinite(v));
  return columns.probabilities?.some((row) => row.some((v) => !Number.isFinite(v))) ?? false;
}

/** One row's outputs, as the prediction log stores them. */
export function outputOfRow(columns: OutputColumns, i: number): unknown {
  if (columns.value) return { value: columns.value[i] };
  return { label: columns.label?.[i], probabilities: columns.probabilities?.[i] };
}
