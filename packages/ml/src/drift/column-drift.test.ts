import { describe, expect, it } from "vitest";

import { chooseDriftTest, columnDrift, datasetDrift, type ColumnDriftResult } from "./column-drift";
import { seededNormals } from "./seeded-samples";

const invalid = (field: string) => expect.objectContaining({ name: "GantryError", code: "INVALID_INPUT", field });

const repeat = (counts: Record<string, number>): string[] => Object.entries(counts).flatMap(([k, n]) => Array<string>(n).fill(k));

describe("chooseDriftTest", () => {
  it.each([
    { referenceRows: 1000, nUnique: 6, columnType: "numerical", test: "ks" },
    { referenceRows: 1000, nUnique: 5, columnType: "numerical", test: "chisquare" },
    { referenceRows: 200, nUnique: 3, columnType: "categorical", test: "chisquare" },
    { referenceRows: 200, nUnique: 2, columnType: "categorical", test: "z" },
    { referenceRows: 200, nUnique: 2, columnType: "numerical", test: "z" },
    { referenceRows: 1001, nUnique: 6, columnType: "numerical", test: "wasserstein" },
    { referenceRows: 1001, nUnique: 5, columnType: "numerical", test: "jensenshannon" },
    { referenceRows: 50000, nUnique: 40, columnType: "categorical", test: "jensenshannon" },
  ] as const)("$referenceRows rows, $columnType with $nUnique unique → $test", ({ test, ...input }) => {
    expect(chooseDriftTest(input)).toBe(test);
  });

  it("rejects a non-integer row count", () => {
    expect(() => chooseDriftTest({ referenceRows: 10.5, nUnique: 3, columnType: "numerical" })).toThrow(invalid("referenceRows"));
  });
});

/*
 * Reference values: scipy 1.17.1 / numpy 2.4.6 (re-run with python3; uniforms()/normals() are the
 * port printed in seeded-samples.ts):
 *
 *   import numpy as np
 *   from scipy.stats import wasserstein_distance
 *   from scipy.spatial.distance import jensenshannon
 *   def wn(r, c): return wasserstein_distance(r, c) / max(np.std(r), 0.001)
 *   ref = normals(31, 5000)
 *   print(repr(float(wn(ref, normals(32, 5000, 0.5)))), repr(float(wn(ref, normals(33, 5000)))))
 *   def shares(counts, n): return [c / n for c in counts]
 *   print(repr(float(jensenshannon(shares([1000, 600, 400], 2000), shares([700, 600, 700], 2000)))),
 *         repr(float(jensenshannon(shares([1000, 600, 400], 2000), shares([980, 610, 410], 2000)))))
 * The KS, χ² and z values are those of ks-two-sample.test.ts and categorical-tests.test.ts.
 */
describe("columnDrift", () => {
  const reference = seededNormals(31, 5000);

  it("flags a +0.5σ shift over 5,000 rows with the normed Wasserstein distance", () => {
    const r = columnDrift(reference, seededNormals(32, 5000, 0.5), "numerical");
    expect(r).toMatchObject({ test: "wasserstein", threshold: 0.1, drifted: true });
    expect(r.statistic).toBeCloseTo(0.4793526007523266, 9);
    expect(r.pValue).toBeUndefined();
  });

  it("does not flag a fresh sample from the same distribution", () => {
    const r = columnDrift(reference, seededNormals(33, 5000), "numerical");
    expect(r).toMatchObject({ test: "wasserstein", drifted: false });
    expect(r.statistic).toBeCloseTo(0.041169690876768444, 9);
  });

  it("flags a categorical share shift with the Jensen–Shannon distance, and not a wobble", () => {
    const ref = repeat({ a: 1000, b: 600, c: 400 });
    const shifted = columnDrift(ref, repeat({ a: 700, b: 600, c: 700 }), "categorical");
    expect(shifted).toMatchObject({ test: "jensenshannon", threshold: 0.1, drifted: true });
    expect(shifted.statistic).toBeCloseTo(0.13042398812480036, 12);
    const steady = columnDrift(ref, repeat({ a: 980, b: 610, c: 410 }), "categorical");
    expect(steady).toMatchObject({ test: "jensenshannon", drifted: false });
    expect(steady.statistic).toBeCloseTo(0.007142558477926873, 12);
  });

  it("uses KS below 1,000 reference rows and drops missing values first", () => {
    const r = columnDrift(
      [0.61, -1.2, null, 0.33, 2.05, -0.47, 1.18, 0.02, -0.88, Number.NaN],
      [1.4, 0.95, 2.6, 0.12, 1.77, -0.35, 2.21, 1.03, 0.58, 3.1, undefined, Number.POSITIVE_INFINITY],
      "numerical",
    );
    expect(r).toMatchObject({ test: "ks", threshold: 0.05, drifted: false });
    expect(r.statistic).toBeCloseTo(0.45, 12);
    expect(r.pValue).toBeCloseTo(0.2475433063668358, 10);
  });

  it("uses χ² for a small categorical column and the z-test for a binary one", () => {
    const chi = columnDrift(repeat({ a: 120, b: 80, c: 50, d: 30 }), repeat({ a: 100, b: 95, c: 40, d: 45 }), "categorical");
    expect(chi).toMatchObject({ test: "chisquare", drifted: true });
    expect(chi.statistic).toBeCloseTo(15.645833333333334, 9);
    expect(chi.pValue).toBeCloseTo(0.001340214204179086, 9);

    const z = columnDrift([...Array<boolean>(700).fill(false), ...Array<boolean>(300).fill(true)], [
      ...Array<boolean>(640).fill(false),
      ...Array<boolean>(360).fill(true),
    ], "categorical");
    expect(z).toMatchObject({ test: "z", drifted: true });
    expect(z.statistic).toBeCloseTo(-2.8532635032055063, 9);
    expect(z.pValue).toBeCloseTo(0.0043272723659044665, 9);
  });

  it("rejects a column with no values left, or text in a numerical column", () => {
    expect(() => columnDrift([null, Number.NaN], [1, 2], "numerical")).toThrow(invalid("reference"));
    expect(() => columnDrift([1, 2, 3, 4, 5, 6], [1, "x", 3, 4, 5, 6], "numerical")).toThrow(invalid("current[1]"));
  });
});

describe("datasetDrift", () => {
  const drifted: ColumnDriftResult = { test: "ks", statistic: 0.5, pValue: 0.01, threshold: 0.05, drifted: true };
  const steady: ColumnDriftResult = { test: "wasserstein", statistic: 0.02, threshold: 0.1, drifted: false };

  it("flags the dataset when the drifted share reaches drift_share (default 0.5)", () => {
    expect(datasetDrift({ age: drifted, income: steady })).toEqual({ columns: 2, driftedColumns: ["age"], driftedShare: 0.5, drifted: true });
    expect(datasetDrift({ age: drifted, income: steady, city: steady })).toMatchObject({ driftedShare: 1 / 3, drifted: false });
    expect(datasetDrift({ age: drifted, income: steady }, 0.75).drifted).toBe(false);
  });

  it("rejects no columns or a share outside (0, 1]", () => {
    expect(() => datasetDrift({})).toThrow(invalid("columns"));
    expect(() => datasetDrift({ age: drifted }, 0)).toThrow(invalid("share"));
  });
});
