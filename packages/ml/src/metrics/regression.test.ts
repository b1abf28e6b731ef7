import { describe, expect, it } from "vitest";

import { mae, r2, rmse } from "./regression";

// y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8]: the example of scikit-learn's regression metric docstrings.
const yTrue = [3, -0.5, 2, 7];
const yPred = [2.5, 0.0, 2, 8];

describe("regression metrics", () => {
  it("match scikit-learn's docstring values", () => {
    expect(mae(yTrue, yPred)).toBe(0.5); // mean_absolute_error → 0.5
    expect(rmse(yTrue, yPred)).toBeCloseTo(Math.sqrt(0.375), 12); // mean_squared_error → 0.375
    expect(r2(yTrue, yPred)).toBeCloseTo(0.9486081370449679, 12); // r2_score → 0.948…
  });

  it("r2 of a constant truth: 1 when exact, else 0 (scikit-learn's force_finite)", () => {
    expect(r2([2, 2], [2, 2])).toBe(1);
    expect(r2([2, 2], [1, 3])).toBe(0);
    // Predicting the mean scores 0; worse than the mean is negative.
    expect(r2([1, 2, 3], [2, 2, 2])).toBe(0);
    expect(r2([1, 2, 3], [3, 2, 1])).toBe(-3);
  });
});
