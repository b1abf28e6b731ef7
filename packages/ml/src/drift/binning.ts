import { fail, requireFinite } from "../stats/guards";
import { countCategories, countUnique, numericValues, type DriftColumnType, type DriftValue } from "./column-values";

/*
 * The binning Evidently's PSI and Jensen–Shannon tests share, ported from
 * evidently/legacy/calculations/stattests/utils.py `get_binned_data` (spec §4).
 */

/**
 * numpy.histogram_bin_edges(values, bins="sturges") for float data (numpy 2.x): width =
 * ptp/(log₂N + 1), ⌈ptp/width⌉ equal bins from min to max, edges from linspace. A constant sample
 * gets one bin [v − 0.5, v + 0.5]. (numpy widens bins to 1 for *integer* dtypes whose width would be
 * < 1; JavaScript numbers are floats, so that case follows the float rule.)
 */
export function sturgesBinEdges(values: number[]): number[] {
  if (values.length === 0) fail("values", "must not be empty");
  values.forEach((v, i) => requireFinite(v, `values[${i}]`));
  // A loop, not Math.min(...values): spreading a large column overflows the call stack.
  let first = values[0] ?? 0;
  let last = first;
  for (const v of values) {
    if (v < first) first = v;
    if (v > last) last = v;
  }
  const ptp = last - first;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = ptp / (Math.log2(values.length) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  const step = (last - first) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step + first);
  edges[bins] = last;
  return edges;
}

/** numpy.histogram(values, edges)[0]: bins are [e_i, e_{i+1}), the last one closed on the right. */
export function histogramCounts(values: number[], edges: number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const lastEdge = edges[bins] ?? Number.NaN;
  for (const v of values) {
    if (v < (edges[0] ?? Number.NaN) || v > lastEdge) continue;
    // Largest i with edges[i] ≤ v, capped at the last bin (which includes its right edge).
    let lo = 0;
    let hi = bins;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((edges[mid] ?? 0) <= v) lo = mid;
      else hi = mid;
    }
    counts[lo] = (counts[lo] ?? 0) + 1;
  }
  return counts;
}

/** Evidently's empty-bin fill: 0.0001, or (smallest non-zero share)/10⁶ when that share ≤ 0.0001. */
export function fillEmptyShares(shares: number[]): number[] {
  const smallest = shares.reduce((m, s) => (s !== 0 && s < m ? s : m), Number.POSITIVE_INFINITY);
  if (smallest === Number.POSITIVE_INFINITY) return [...shares];
  const fill = smallest <= 0.0001 ? smallest / 10 ** 6 : 0.0001;
  return shares.map((s) => (s === 0 ? fill : s));
}

export type BinnedShares = {
  reference: number[];
  current: number[];
  bins: { kind: "sturges"; edges: number[] } | { kind: "categories"; keys: DriftValue[] };
};

export type BinnedSharesOptions = {
  featureType: DriftColumnType;
  /** Replace empty bins as PSI needs (Evidently's `feel_zeroes`); Jensen–Shannon bins without it. Default true. */
  fillEmpty?: boolean;
};

/** More unique reference values than this and a numerical column is binned by Sturges' rule. */
const MAX_CATEGORY_LIKE_UNIQUE = 20;

/**
 * Share of each sample per bin:
 *  - numerical with > 20 unique values *in the reference* (Evidently counts `reference.nunique()`):
 *    Sturges bins over reference + current combined; Evidently's `n_bins` goes unused on this path,
 *    so there is no bin-count option here;
 *  - otherwise one bin per category seen in either sample.
 * Shares are counts over the sample size; empty bins are then filled (see `fillEmptyShares`).
 */
export function binnedShares(reference: DriftValue[], current: DriftValue[], options: BinnedSharesOptions): BinnedShares {
  if (reference.length === 0) fail("reference", "must not be empty");
  if (current.length === 0) fail("current", "must not be empty");
  const fill = options.fillEmpty ?? true;
  const finish = (ref: number[], cur: number[], bins: BinnedShares["bins"]): BinnedShares => ({
    reference: fill ? fillEmptyShares(ref) : ref,
    current: fill ? fillEmptyShares(cur) : cur,
    bins,
  });

  if (options.featureType === "numerical" && countUnique(reference) > MAX_CATEGORY_LIKE_UNIQUE) {
    const ref = numericValues(reference, "reference");
    const cur = numericValues(current, "current");
    const edges = sturgesBinEdges([...ref, ...cur]);
    return finish(
      histogramCounts(ref, edges).map((c) => c / ref.length),
      histogramCounts(cur, edges).map((c) => c / cur.length),
      { kind: "sturges", edges },
    );
  }
  const counts = countCategories(reference, current);
  return finish(
    counts.reference.map((c) => c / reference.length),
    counts.current.map((c) => c / current.length),
    { kind: "categories", keys: counts.keys },
  );
}
