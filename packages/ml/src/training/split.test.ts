import { GantryError } from "@gantry/schema";
import { describe, expect, it } from "vitest";

import { splitRows, splitSizes } from "./split";
import type { Table } from "./types";

const table: Table = {
  columns: [
    { name: "at", type: "datetime" },
    { name: "y", type: "numeric" },
  ],
  // Rows in reverse time order, one without a time.
  rows: [...Array.from({ length: 20 }, (_, i) => ({ at: Date.UTC(2024, 0, 20 - i), y: i })), { at: null, y: 99 }],
};
const all = table.rows.map((_, i) => i);
const noLog = () => {};

describe("splitRows", () => {
  it("random: the same seed gives the same split, another seed another; every row lands once", () => {
    const split = { kind: "random", validation: 0.1, test: 0.2 } as const;
    const a = splitRows({ table, rows: all, split, seed: 7, log: noLog });
    const b = splitRows({ table, rows: all, split, seed: 7, log: noLog });
    const c = splitRows({ table, rows: all, split, seed: 8, log: noLog });
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect([a.train.length, a.validation.length, a.test.length]).toEqual([15, 2, 4]);
    expect([...a.train, ...a.validation, ...a.test].sort((x, y) => x - y)).toEqual(all);
  });

  it("time: oldest rows train, then validation, newest test; rows without a time are left out", () => {
    const lines: string[] = [];
    const parts = splitRows({ table, rows: all, split: { kind: "time", column: "at", validation: 0.1, test: 0.2 }, seed: 1, log: (l) => lines.push(l) });
    // Row i is day 20 − i: the newest rows are the lowest indices.
    expect(parts.test).toEqual([3, 2, 1, 0]);
    expect(parts.validation).toEqual([5, 4]);
    expect(parts.train).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    expect(lines).toEqual(["1 rows without a readable 'at' time: left out of the time split"]);
  });

  it("a non-zero fraction gets at least one row; too few rows is a clear error", () => {
    expect(splitSizes(5, { validation: 0.1, test: 0.2 })).toEqual({ train: 3, validation: 1, test: 1 });
    expect(splitSizes(10, { validation: 0, test: 0 })).toEqual({ train: 10, validation: 0, test: 0 });
    expect(() => splitSizes(3, { validation: 0.1, test: 0.2 })).toThrow(
      new GantryError("INVALID_INPUT", "too few rows for the split: 3 usable rows leave 1 for training after 1 validation and 1 test rows (need at least 2)", { field: "split" }),
    );
  });

  it("a time split needs a time column", () => {
    expect(() => splitRows({ table, rows: all, split: { kind: "time", column: "y2", validation: 0, test: 0.2 }, seed: 1, log: noLog })).toThrow(
      "time column 'y2' not in dataset",
    );
  });
});
