import type { TrainingSpec } from "@gantry/schema";
import { GantryError } from "@gantry/schema/errors";

import { cellToNumber } from "./cells";
import { createRandom, randomStreams, shuffleInPlace } from "./random";
import type { Table } from "./types";

/** Row indices of each part. */
export type SplitIndices = { train: number[]; validation: number[]; test: number[] };

/**
 * Splits rows at random (seeded) or by time (oldest train, then validation, newest test). A
 * non-zero fraction always gets at least one row, so small datasets still validate and test.
 */
export function splitRows({
  table,
  rows,
  split,
  seed,
  log,
}: {
  table: Table;
  /** Indices of the usable rows (target present). */
  rows: number[];
  split: TrainingSpec["split"];
  seed: number;
  log: (message: string) => void;
}): SplitIndices {
  let order: number[];
  if (split.kind === "time") {
    const column = table.columns.find((c) => c.name === split.column);
    if (!column) throw new GantryError("INVALID_INPUT", `time column '${split.column}' not in dataset`, { field: "split.column" });
    if (column.type !== "datetime" && column.type !== "numeric" && column.type !== "integer") {
      throw new GantryError("INVALID_INPUT", `time column '${split.column}' is ${column.type}: a time split needs a datetime or numeric column`, {
        field: "split.column",
      });
    }
    const timed = rows
      .map((index) => ({ index, time: cellToNumber(table.rows[index]?.[split.column], column.type) }))
      .filter((r): r is { index: number; time: number } => typeof r.time === "number");
    if (timed.length < rows.length) log(`${rows.length - timed.length} rows without a readable '${split.column}' time: left out of the time split`);
    order = timed.sort((a, b) => a.time - b.time || a.index - b.index).map((r) => r.index);
  } else {
    order = [...rows];
    shuffleInPlace(order, createRandom(seed, randomStreams.split));
  }

  const sizes = splitSizes(order.length, split);
  if (split.kind === "time") {
    return {
      train: order.slice(0, sizes.train),
      validation: order.slice(sizes.train, sizes.train + sizes.validation),
      test: order.slice(sizes.train + sizes.validation),
    };
  }
  const ascending = (a: number, b: number) => a - b;
  return {
    test: order.slice(0, sizes.test).sort(ascending),
    validation: order.slice(sizes.test, sizes.test + sizes.validation).sort(ascending),
    train: order.slice(sizes.test + sizes.validation).sort(ascending),
  };
}

export const minTrainingRows = 2;

export function splitSizes(n: number, split: { validation: number; test: number }) {
  const part = (fraction: number) => (fraction > 0 ? Math.max(1, Math.round(n * fraction)) : 0);
  const test = part(split.test);
  const validation = part(split.validation);
  const train = n - test - validation;
  if (train < minTrainingRows) {
    throw new GantryError(
      "INVALID_INPUT",
      `too few rows for the split: ${n} usable rows leave ${Math.max(0, train)} for training after ${validation} validation and ${test} test rows (need at least ${minTrainingRows})`,
      { field: "split" },
    );
  }
  return { train, validation, test };
}
