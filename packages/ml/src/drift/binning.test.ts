import { describe, expect, it } from "vitest";

import { binnedShares, fillEmptyShares, histogramCounts, sturgesBinEdges } from "./binning";
import { jensenShannonDistance, psi, psiDrift } from "./divergences";
import { seededNormals } from "./seeded-samples";

const invalid = (field: string) => expect.objectContaining({ name: "GantryError", code: "INVALID_INPUT", field });

const expectAllClose = (got: number[], want: number[], digits = 12) => {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i] ?? Number.NaN, digits));
};

/*
 * Reference values: numpy 2.4.6 / scipy 1.17.1. get_binned_data is Evidently's
 * (legacy/calculations/stattests/utils.py) with pandas replaced by numpy and Counter (pandas is not
 * installed here). Re-run with python3:
 *
 *   import numpy as np
 *   from collections import Counter
 *   from scipy.spatial.distance import jensenshannon
 *   # uniforms()/normals(): the port printed in seeded-samples.ts
 *   def get_binned_data(reference, current, numerical, feel_zeroes=True):
 *       if numerical and len(set(reference)) > 20:
 *           bins = np.histogram_bin_edges(np.concatenate([reference, current]), bins="sturges")
 *           rp = np.histogram(reference, bins)[0] / len(reference)
 *           cp = np.histogram(current, bins)[0] / len(current)
 *       else:
 *           keys = sorted(set(reference) | set(current))
 *           rc, cc = Counter(reference), Counter(current)
 *           rp = np.array([rc[k] / len(reference) for k in keys])
 *           cp = np.array([cc[k] / len(current) for k in keys])
 *       if feel_zeroes:
 *           for p in (rp, cp):
 *               m = min(p[p != 0])
 *               np.place(p, p == 0, m / 10**6 if m <= 0.0001 else 0.0001)
 *       return rp, cp
 *   def psi(r, c): return float(np.sum((r - c) * np.log(r / c)))
 *   print(np.histogram_bin_edges([float(i * i % 37) for i in range(32)], bins="sturges").tolist())
 *   print(np.histogram_bin_edges([4.0, 4.0, 4.0], bins="sturges").tolist())
 *   ref = normals(21, 1000); cur = normals(22, 1200, 0.3, 1.2)
 *   print(np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges").tolist())
 *   print(np.histogram([0.0, 0.5, 0.5, 1.0, 1.5, 2.0, 2.0, -1.0, 3.0], [0.0, 0.5, 1.0, 1.5, 2.0])[0].tolist())
 *   rp, cp = get_binned_data(ref, cur, True); print(rp.tolist(), cp.tolist(), psi(rp, cp))
 *   rp0, cp0 = get_binned_data(ref, cur, True, False); print(float(jensenshannon(rp0, cp0)))
 *   rp, cp = get_binned_data(["a"] * 9999 + ["b"], ["a"] * 5000 + ["c"] * 5000, False)
 *   print(rp.tolist(), cp.tolist(), psi(rp, cp))
 *   rp, cp = get_binned_data(["x"] * 50 + ["y"] * 30 + ["z"] * 20, ["x"] * 40 + ["y"] * 30 + ["w"] * 30, False)
 *   print(rp.tolist(), cp.tolist(), psi(rp, cp))
 *   print(repr(float(jensenshannon([0.5, 0.3, 0.2], [0.3, 0.3, 0.4]))),
 *         repr(float(jensenshannon([0.6, 0.4, 0.0], [0.2, 0.3, 0.5]))),
 *         repr(float(jensenshannon([12, 30, 58], [20, 20, 60]))))
 *   r = np.array([0.25, 0.35, 0.3, 0.1]); c = np.array([0.2, 0.3, 0.3, 0.2])
 *   print(repr(float(np.sum((r - c) * np.log(r / c)))))
 */
const ref = seededNormals(21, 1000);
const cur = seededNormals(22, 1200, 0.3, 1.2);

describe("sturgesBinEdges / histogramCounts", () => {
  it("equals numpy.histogram_bin_edges(…, bins='sturges'), including a power-of-two size", () => {
    expect(sturgesBinEdges(Array.from({ length: 32 }, (_, i) => (i * i) % 37))).toEqual([0, 6, 12, 18, 24, 30, 36]);
    expect(sturgesBinEdges([4, 4, 4])).toEqual([3.5, 4.5]);
    expectAllClose(
      sturgesBinEdges([...ref, ...cur]),
      [
        -4.025988426583814, -3.418391720733502, -2.8107950148831895, -2.2031983090328766, -1.5956016031825642, -0.9880048973322517,
        -0.38040819148193883, 0.22718851436837362, 0.8347852202186861, 1.4423819260689985, 2.049978631919311, 2.6575753377696234,
        3.2651720436199367, 3.8727687494702483,
      ],
      14,
    );
  });

  it("counts like numpy.histogram: left-closed bins, the last one closed, outside values dropped", () => {
    expect(histogramCounts([0, 0.5, 0.5, 1, 1.5, 2, 2, -1, 3], [0, 0.5, 1, 1.5, 2])).toEqual([1, 2, 1, 3]);
  });
});

describe("binnedShares", () => {
  it("bins a numerical column with > 20 unique reference values by Sturges, filling empty bins with 0.0001", () => {
    const shares = binnedShares(ref, cur, { featureType: "numerical" });
    expect(shares.bins.kind).toBe("sturges");
    expectAllClose(shares.reference, [0.0001, 0.002, 0.01, 0.045, 0.114, 0.2, 0.234, 0.188, 0.133, 0.059, 0.015, 0.0001, 0.0001]);
    expectAllClose(shares.current, [
      0.0025, 0.0025, 0.0175, 0.03833333333333333, 0.08, 0.14833333333333334, 0.19166666666666668, 0.19083333333333333,
      0.15083333333333335, 0.10416666666666667, 0.051666666666666666, 0.011666666666666667, 0.01,
    ]);
    expect(psi(shares.reference, shares.current)).toBeCloseTo(0.22298394514993056, 10);
  });

  it("bins by category and fills with min/10⁶ when the smallest share is ≤ 0.0001", () => {
    const reference = [...Array<string>(9999).fill("a"), "b"];
    const current = [...Array<string>(5000).fill("a"), ...Array<string>(5000).fill("c")];
    const shares = binnedShares(reference, current, { featureType: "categorical" });
    expect(shares.bins).toEqual({ kind: "categories", keys: ["a", "b", "c"] });
    expectAllClose(shares.reference, [0.9999, 0.0001, 1e-10], 15);
    expectAllClose(shares.current, [0.5, 0.0001, 0.5], 15);
    expect(psiDrift(reference, current, "categorical").statistic).toBeCloseTo(11.512806155519234, 9);
  });

  it("treats a numerical column with ≤ 20 unique reference values as categories", () => {
    expect(binnedShares([1, 2, 2, 3], [2, 3, 3, 4], { featureType: "numerical", fillEmpty: false })).toEqual({
      reference: [0.25, 0.5, 0.25, 0],
      current: [0, 0.25, 0.5, 0.25],
      bins: { kind: "categories", keys: [1, 2, 3, 4] },
    });
  });

  it("leaves empty bins at 0 without the fill (Jensen–Shannon's binning)", () => {
    const shares = binnedShares(ref, cur, { featureType: "numerical", fillEmpty: false });
    expect(shares.reference[0]).toBe(0);
    expect(jensenShannonDistance(shares.reference, shares.current)).toBeCloseTo(0.1493342484936473, 10);
  });
});

describe("psi / psiDrift", () => {
  it("is Σ(ref − cur)·ln(ref/cur)", () => {
    expect(psi([0.25, 0.35, 0.3, 0.1], [0.2, 0.3, 0.3, 0.2])).toBeCloseTo(0.08817942961306793, 12);
  });

  it("drifts at ≥ 0.1 over the filled category bins", () => {
    const reference = [...Array<string>(50).fill("x"), ...Array<string>(30).fill("y"), ...Array<string>(20).fill("z")];
    const current = [...Array<string>(40).fill("x"), ...Array<string>(30).fill("y"), ...Array<string>(30).fill("w")];
    const r = psiDrift(reference, current, "categorical");
    expect(r.statistic).toBeCloseTo(3.9428443903321924, 10);
    expect(r).toMatchObject({ threshold: 0.1, drifted: true });
    expect(psiDrift(reference, [...reference], "categorical")).toEqual({ statistic: 0, threshold: 0.1, drifted: false });
  });

  it("refuses a zero share, which has no logarithm", () => {
    expect(() => psi([0.5, 0.5], [1, 0])).toThrow(invalid("curShares[1]"));
  });

  it("fills each vector from its own smallest share", () => {
    expect(fillEmptyShares([0.5, 0, 0.5])).toEqual([0.5, 0.0001, 0.5]);
    expect(fillEmptyShares([0.00005, 0, 0.99995])[1]).toBeCloseTo(5e-11, 20);
  });
});

describe("jensenShannonDistance", () => {
  it.each([
    { p: [0.5, 0.3, 0.2], q: [0.3, 0.3, 0.4], want: 0.17211473103812178 },
    { p: [0.6, 0.4, 0.0], q: [0.2, 0.3, 0.5], want: 0.47874344493398224 },
    { p: [12, 30, 58], q: [20, 20, 60], want: 0.10085662592365298 },
  ])("matches scipy.spatial.distance.jensenshannon($p, $q)", ({ p, q, want }) => {
    expect(jensenShannonDistance(p, q)).toBeCloseTo(want, 12);
  });

  it("rejects negative or all-zero vectors", () => {
    expect(() => jensenShannonDistance([1, -1], [1, 1])).toThrow(invalid("p[1]"));
    expect(() => jensenShannonDistance([1, 1], [0, 0])).toThrow(invalid("q"));
  });
});
