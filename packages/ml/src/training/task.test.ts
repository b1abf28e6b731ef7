import { GantryError } from "@gantry/schema";
import { describe, expect, it } from "vitest";

import { inferTask, resolveTarget } from "./task";
import type { Cell, ColumnSchema, Table } from "./types";

const tableOf = (type: ColumnSchema["type"], values: Cell[]): Table => ({ columns: [{ name: "t", type }], rows: values.map((t) => ({ t })) });

describe("inferTask", () => {
  it("2 values → binary, few categories or integers → multiclass, numbers → regression", () => {
    expect(inferTask(tableOf("categorical", ["a", "b", "a", null]), "t")).toBe("binary");
    expect(inferTask(tableOf("numeric", [0, 1, 1]), "t")).toBe("binary");
    expect(inferTask(tableOf("categorical", ["a", "b", "c"]), "t")).toBe("multiclass");
    expect(inferTask(tableOf("integer", [1, 2, 3, 4, 5]), "t")).toBe("multiclass");
    expect(inferTask(tableOf("integer", Array.from({ length: 60 }, (_, i) => i)), "t")).toBe("regression");
    expect(inferTask(tableOf("numeric", [0.5, 1.5, 2.5]), "t")).toBe("regression");
  });

  it("orders labels so the positive class is the second: true for booleans, 1 for 0/1, numbers numerically", () => {
    expect(resolveTarget({ table: tableOf("boolean", [true, false]), target: "t" })).toEqual({ task: "binary", labels: ["false", "true"] });
    expect(resolveTarget({ table: tableOf("integer", [1, 0]), target: "t" })).toEqual({ task: "binary", labels: ["0", "1"] });
    expect(resolveTarget({ table: tableOf("integer", [10, 2, 1]), target: "t" })).toEqual({ task: "multiclass", labels: ["1", "2", "10"] });
  });

  it("explains what is wrong with a target", () => {
    const failure = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        if (error instanceof GantryError) return { code: error.code, field: error.field, message: error.message };
        throw error;
      }
      throw new Error("expected a GantryError");
    };
    expect(failure(() => inferTask(tableOf("numeric", [1]), "label"))).toEqual({
      code: "INVALID_INPUT",
      field: "target",
      message: "target column 'label' not in dataset",
    });
    expect(failure(() => inferTask(tableOf("integer", [3, 3, null]), "t")).message).toBe("target column 't' is constant (one value: 3)");
    expect(failure(() => inferTask(tableOf("numeric", [null]), "t")).message).toBe("target column 't' has no values");
    expect(failure(() => resolveTarget({ table: tableOf("categorical", ["a", "b", "c"]), target: "t", task: "regression" })).message).toBe(
      "target column 't' is categorical: a regression target must be numeric",
    );
    expect(failure(() => resolveTarget({ table: tableOf("categorical", ["a", "b", "c"]), target: "t", task: "binary" }))).toMatchObject({
      field: "task",
      message: "task 'binary' needs a target with exactly 2 values; 't' has 3",
    });
    expect(failure(() => inferTask(tableOf("categorical", Array.from({ length: 51 }, (_, i) => `c${i}`)), "t")).message).toMatch(/51 distinct values/);
    expect(failure(() => inferTask(tableOf("text", ["x", "y", "z"]), "t")).message).toMatch(/is text: it cannot be a target/);
  });
});
