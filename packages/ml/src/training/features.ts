import type { TrainingSpec } from "@gantry/schema";
import { GantryError } from "@gantry/schema/errors";

import type { ColumnSchema, Table } from "./types";

/**
 * The feature columns: the spec's, or every column but the target (and the time column of a time
 * split). Text columns are dropped with a log line rather than rejected: free text needs a text
 * model, and dropping it lets "all columns" work on datasets that carry a notes column.
 */
export function resolveFeatures({ table, spec, log }: { table: Table; spec: TrainingSpec; log: (message: string) => void }): ColumnSchema[] {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const timeColumn = spec.split.kind === "time" ? spec.split.column : undefined;
  const requested = spec.features
    ? [...new Set(spec.features)]
    : table.columns.map((c) => c.name).filter((name) => name !== spec.target && name !== timeColumn);

  const features: ColumnSchema[] = [];
  for (const name of requested) {
    const column = byName.get(name);
    if (!column) throw new GantryError("INVALID_INPUT", `feature column '${name}' not in dataset`, { field: "features" });
    if (name === spec.target) throw new GantryError("INVALID_INPUT", `target column '${name}' cannot also be a feature`, { field: "features" });
    if (column.type === "text") {
      log(`feature column '${name}' is text: dropped (text features are not supported)`);
      continue;
    }
    features.push({ name: column.name, type: column.type });
  }
  if (features.length === 0) {
    throw new GantryError("INVALID_INPUT", "no usable feature columns (text columns are not supported as features)", { field: "features" });
  }
  return features;
}
