import type { TrainingTask } from "@gantry/schema";
import { GantryError } from "@gantry/schema/errors";

import { cellToCategory, cellToNumber, sortLabels } from "./cells";
import type { Table } from "./types";

/** Inference makes a classifier of a target with at most this many values. */
export const maxInferredClasses = 50;
/** An explicit `task: 'multiclass'` accepts more, up to this. */
export const maxClasses = 1000;

export type TargetInfo = { task: "binary" | "multiclass"; labels: string[] } | { task: "regression" };

const invalid = (message: string, field: string) => new GantryError("INVALID_INPUT", message, { field });

/** The task a target column calls for: 2 values → binary, a few categories → multiclass, numbers → regression. */
export function inferTask(table: Table, target: string): TrainingTask {
  return resolveTarget({ table, target }).task;
}

/**
 * Checks the target against the requested (or inferred) task and returns the class labels in
 * output order: sorted (numerically for numbers), so for a binary task the positive class is the
 * second one — `true` for booleans, `1` for 0/1.
 */
export function resolveTarget({ table, target, task }: { table: Table; target: string; task?: TrainingTask }): TargetInfo {
  const column = table.columns.find((c) => c.name === target);
  if (!column) throw invalid(`target column '${target}' not in dataset`, "target");

  const counts = new Map<string, number>();
  for (const row of table.rows) {
    const label = cellToCategory(row[target]);
    if (label !== null) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  if (counts.size === 0) throw invalid(`target column '${target}' has no values`, "target");
  if (counts.size === 1) throw invalid(`target column '${target}' is constant (one value: ${[...counts.keys()][0]})`, "target");
  const labels = sortLabels([...counts.keys()]);
  const numeric = column.type === "numeric" || column.type === "integer";

  const chosen = task ?? inferFrom({ type: column.type, distinct: counts.size, target });
  if (chosen === "binary") {
    if (counts.size !== 2) throw invalid(`task 'binary' needs a target with exactly 2 values; '${target}' has ${counts.size}`, "task");
    return { task: "binary", labels };
  }
  if (chosen === "multiclass") {
    if (counts.size > maxClasses) throw invalid(`target column '${target}' has ${counts.size} distinct values: too many classes (at most ${maxClasses})`, "target");
    return { task: "multiclass", labels };
  }
  if (!numeric) throw invalid(`target column '${target}' is ${column.type}: a regression target must be numeric`, "target");
  for (const row of table.rows) {
    if (cellToNumber(row[target], column.type) === undefined) {
      throw invalid(`target column '${target}' has a value that is not a number: ${JSON.stringify(row[target])}`, "target");
    }
  }
  return { task: "regression" };
}

function inferFrom({ type, distinct, target }: { type: string; distinct: number; target: string }): TrainingTask {
  if (distinct === 2) return "binary";
  if (type === "numeric") return "regression";
  if (type === "integer") return distinct <= maxInferredClasses ? "multiclass" : "regression";
  if (type === "categorical" || type === "boolean") {
    if (distinct <= maxInferredClasses) return "multiclass";
    throw invalid(
      `target column '${target}' has ${distinct} distinct values: too many to infer a classification (at most ${maxInferredClasses}); set task to 'multiclass' to train anyway`,
      "target",
    );
  }
  throw invalid(`target column '${target}' is ${type}: it cannot be a target (use a categorical, boolean or numeric column)`, "target");
}
