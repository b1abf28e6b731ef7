import { fail, requireFinite, requireNonNegative } from "../stats/guards";

type WeightedSample = { values: number[]; cumulative: number[] | null; total: number };

function prepare(values: number[], weights: number[] | undefined, field: string): WeightedSample {
  if (values.length === 0) fail(field, "must not be empty");
  values.forEach((v, i) => requireFinite(v, `${field}[${i}]`));
  if (weights === undefined) return { values: [...values].sort((a, b) => a - b), cumulative: null, total: values.length };
  const weightField = `${field}Weights`;
  if (weights.length !== values.length) fail(weightField, `has ${weights.length} entries for ${values.length} values`);
  weights.forEach((w, i) => requireNonNegative(w, `${weightField}[${i}]`));
  const order = values.map((_, i) => i).sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0));
  const cumulative = [0];
  let running = 0;
  for (const i of order) {
    running += weights[i] ?? 0;
    cumulative.push(running);
  }
  if (running <= 0) fail(weightField, "must have a positive sum");
  return { values: order.map((i) => values[i] ?? 0), cumulative, total: running };
}

/**
 * First Wasserstein distance between two 1-D empirical distributions: scipy.stats
 * .wasserstein_distance(u, v, u_weights, v_weights) (scipy 1.17.1 `_cdf_distance(1, …)`):
 *   W₁ = ∫|U(x) − V(x)| dx, summed over the gaps between consecutive pooled values.
 */
export function wassersteinDistance(u: number[], v: number[], uWeights?: number[], vWeights?: number[]): number {
  const a = prepare(u, uWeights, "u");
  const b = prepare(v, vWeights, "v");
  const all = [...a.values, ...b.values].sort((x, y) => x - y);
  const cdfAt = (s: WeightedSample, count: number): number => (s.cumulative ? (s.cumulative[count] ?? 0) / s.total : count / s.total);
  let ia = 0;
  let ib = 0;
  let sum = 0;
  for (let k = 0; k < all.length - 1; k++) {
    const x = all[k] ?? 0;
    // searchsorted(…, side="right"): the number of values ≤ x.
    while (ia < a.values.length && (a.values[ia] ?? 0) <= x) ia++;
    while (ib < b.values.length && (b.values[ib] ?? 0) <= x) ib++;
    sum += Math.abs(cdfAt(a, ia) - cdfAt(b, ib)) * ((all[k + 1] ?? 0) - x);
  }
  return sum;
}

/** numpy.std with its default ddof = 0. */
export function populationStd(values: number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) * (v - mean), 0) / values.length);
}

/** Evidently divides by the reference spread but never by less than this (constant columns). */
const MIN_NORM = 0.001;

/**
 * Evidently's "wasserstein" drift score (stattests/wasserstein_distance_norm.py):
 *   W₁(reference, current) / max(std(reference), 0.001)
 * i.e. the distance in reference standard deviations; drift when ≥ 0.1.
 */
export function wassersteinNormed(reference: number[], current: number[]): number {
  const distance = wassersteinDistance(reference, current);
  return distance / Math.max(populationStd(reference), MIN_NORM);
}

/**
 * The same score from aggregated data: two histograms over shared bin `edges`. Each bin's mass is
 * put at its midpoint, so this is scipy's weighted wasserstein_distance(mids, mids, refCounts,
 * curCounts) over the weighted (ddof = 0) std of the reference midpoints. It approximates the
 * raw-data score: mass that sits inside one bin in both samples is invisible, and a shift smaller
 * than a bin shows only through the counts it moves across edges. Use bins narrow relative to σ.
 */
export function wassersteinFromHistograms(edges: number[], refCounts: number[], curCounts: number[]): number {
  if (edges.length < 2) fail("edges", "needs at least two edges");
  edges.forEach((e, i) => {
    requireFinite(e, `edges[${i}]`);
    if (i > 0 && e <= (edges[i - 1] ?? 0)) fail(`edges[${i}]`, "edges must increase strictly");
  });
  const bins = edges.length - 1;
  if (refCounts.length !== bins) fail("refCounts", `has ${refCounts.length} bins for ${bins} in edges`);
  if (curCounts.length !== bins) fail("curCounts", `has ${curCounts.length} bins for ${bins} in edges`);
  refCounts.forEach((c, i) => requireNonNegative(c, `refCounts[${i}]`));
  curCounts.forEach((c, i) => requireNonNegative(c, `curCounts[${i}]`));
  const mids = edges.slice(1).map((e, i) => ((edges[i] ?? 0) + e) / 2);
  const refTotal = refCounts.reduce((s, c) => s + c, 0);
  if (refTotal <= 0) fail("refCounts", "has no observations");
  if (curCounts.reduce((s, c) => s + c, 0) <= 0) fail("curCounts", "has no observations");

  const distance = wassersteinDistance(mids, mids, refCounts, curCounts);
  const mean = mids.reduce((s, m, i) => s + m * (refCounts[i] ?? 0), 0) / refTotal;
  const variance = mids.reduce((s, m, i) => s + (refCounts[i] ?? 0) * (m - mean) * (m - mean), 0) / refTotal;
  return distance / Math.max(Math.sqrt(variance), MIN_NORM);
}
