import { describe, expect, it } from "vitest";

import { keyMetrics } from "./key-metrics";

describe("keyMetrics", () => {
  it("keeps the keys every version has, test metrics first", () => {
    expect(
      keyMetrics([
        { loss: 0.3, test_accuracy: 0.9, val_loss: 0.4, test_loss: 0.2, f1: 0.5 },
        { loss: 0.2, test_accuracy: 0.92, val_loss: 0.3, test_loss: 0.1 },
        {},
      ]),
    ).toEqual(["test_accuracy", "test_loss", "loss", "val_loss"]);
  });

  it("limits the columns and copes with no metrics", () => {
    expect(keyMetrics([{ a: 1, b: 2, c: 3 }], 2)).toEqual(["a", "b"]);
    expect(keyMetrics([])).toEqual([]);
    expect(keyMetrics([{}, {}])).toEqual([]);
  });
});
