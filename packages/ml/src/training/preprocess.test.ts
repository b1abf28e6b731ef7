import { describe, expect, it } from "vitest";

import { createRowEncoder } from "./encode";
import { fitPreprocessing, maxCategories, signatureOf } from "./preprocess";
import type { ColumnSchema, Row } from "./types";

const features: ColumnSchema[] = [
  { name: "n", type: "numeric" },
  { name: "c", type: "categorical" },
  { name: "b", type: "boolean" },
  { name: "d", type: "datetime" },
];
const target: ColumnSchema = { name: "y", type: "categorical" };
const fit = (rows: Row[]) => fitPreprocessing({ rows, features, target, targetInfo: { task: "binary", labels: ["no", "yes"] }, log: () => {} });

// Training split: n = 1, 3, missing; c = a, a, b; b = true, false, true; d = 0, 1000, 2000.
const train: Row[] = [
  { n: 1, c: "a", b: true, d: 0, y: "no" },
  { n: 3, c: "a", b: false, d: 1000, y: "yes" },
  { n: null, c: "b", b: true, d: 2000, y: "no" },
];

describe("preprocessing", () => {
  it("is fitted on the rows it is given (the training split) only", () => {
    const state = fit(train);
    expect(state.features).toEqual([
      { kind: "numeric", name: "n", type: "numeric", mean: 2, std: 1, missingIndicator: true },
      { kind: "categorical", name: "c", type: "categorical", categories: ["a", "b"], otherSlot: false, missingSlot: false },
      { kind: "boolean", name: "b", type: "boolean", mean: 2 / 3, missingIndicator: false },
      { kind: "numeric", name: "d", type: "datetime", mean: 1000, std: Math.sqrt(2e6 / 3), missingIndicator: false },
    ]);
    expect(state.width).toBe(2 + 2 + 1 + 1);
    // A validation row with other values changes nothing: only `train` was passed.
    expect(fit([...train]).features).toEqual(state.features);
  });

  it("standardises numbers, imputes the training mean with an indicator, one-hot encodes categories", () => {
    const encode = createRowEncoder(fit(train));
    const x = encode([
      { n: 3, c: "b", b: false, d: 1000 },
      { n: null, c: "a", b: null, d: "1970-01-01T00:00:02.000Z" },
    ]);
    const dScale = Math.sqrt(2e6 / 3);
    expect(Array.from(x)).toEqual(
      [1, 0, 0, 1, 0, 0, /* row 2 */ 0, 1, 1, 0, 2 / 3, 1000 / dScale].map(Math.fround),
    );
  });

  it("sends an unseen category to zeros when training had few, to the other slot when it had more than kept", () => {
    expect(Array.from(createRowEncoder(fit(train))([{ n: 2, c: "zzz", b: true, d: 1000 }]))).toEqual([0, 0, 0, 0, 1, 0]);

    const many: Row[] = Array.from({ length: maxCategories + 2 }, (_, i) => ({ n: i, c: `c${i % (maxCategories + 2)}`, b: true, d: 0, y: "no" }));
    many.push({ n: 0, c: "c0", b: true, d: 0, y: "no" }, { n: 0, c: null, b: true, d: 0, y: "no" });
    const state = fit(many);
    const encoding = state.features[1];
    if (encoding?.kind !== "categorical") throw new Error("expected categorical");
    expect(encoding.categories).toHaveLength(maxCategories);
    expect(encoding.categories[0]).toBe("c0"); // most frequent first
    expect(encoding).toMatchObject({ otherSlot: true, missingSlot: true });
    const x = createRowEncoder(state)([{ n: 0, c: "never-seen", b: true, d: 0 }, { n: 0, c: null, b: true, d: 0 }]);
    // `n` had no missing values here: one column, so the categories start at 1.
    const slots = (row: number) => Array.from(x.subarray(row * state.width + 1, row * state.width + 1 + maxCategories + 2));
    expect(slots(0).indexOf(1)).toBe(maxCategories); // other
    expect(slots(1).indexOf(1)).toBe(maxCategories + 1); // missing
  });

  it("rejects a value that cannot be read as the column's type, naming the column", () => {
    const encode = createRowEncoder(fit(train));
    expect(() => encode([{ n: "abc", c: "a", b: true, d: 0 }])).toThrow(`input 'n' must be a number, got "abc"`);
    expect(() => encode([{ n: 1, c: "a", b: "maybe", d: 0 }])).toThrow("input 'b' must be true or false");
    expect(encode([{ n: "2", c: "a", b: "true", d: 0 }])[0]).toBe(0);
  });

  it("signature: inputs seen missing in training are optional; categories listed; labels in output order", () => {
    expect(signatureOf(fit(train))).toEqual({
      inputs: [
        { name: "n", type: "numeric", required: false },
        { name: "c", type: "categorical", required: true, categories: ["a", "b"] },
        { name: "b", type: "boolean", required: true },
        { name: "d", type: "datetime", required: true },
      ],
      task: "binary",
      target: "y",
      labels: ["no", "yes"],
    });
  });
});
