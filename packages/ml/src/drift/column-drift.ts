import { fail, requireCount } from "../stats/guards";
import { binnedShares } from "./binning";
import { chiSquareDrift, zTestProportions } from "./categorical-tests";
import { countCategories, countUnique, numericValues, presentValues, type DriftCell, type DriftColumnType } from "./column-values";
import { jensenShannonDistance } from "./divergences";
import { ksTwoSample } from "./ks-two-sample";
import { wassersteinNormed } from "./wasserstein";

export type DriftTestName = "ks" | "chisquare" | "z" | "wasserstein" | "jensenshannon";

export type ChooseDriftTestInput = {
  /** Rows in the reference sample (after dropping missing values). */
  referenceRows: number;
  /** Distinct values over reference and current combined. */
  nUnique: number;
  columnType: DriftColumnType;
};

/** Evidently: up to this many reference rows the default is a hypothesis test, above it a distance. */
const SMALL_REFERENCE_ROWS = 1000;
/** Evidently treats a numerical column with at most this many distinct values as categorical. */
const LOW_CARDINALITY = 5;

/**
 * Evidently's default per-column test (stattests/registry.py `_get_default_stattest`, spec §4):
 *
 * | reference rows | column                                   | test                  |
 * |----------------|------------------------------------------|-----------------------|
 * | ≤ 1000         | numerical, n_unique > 5                   | ks                    |
 * | ≤ 1000         | categorical or numerical with n_unique ≤ 5 | chisquare if n_unique > 2, else z |
 * | > 1000         | numerical, n_unique > 5                   | wasserstein (normed)  |
 * | > 1000         | categorical or low-cardinality            | jensenshannon         |
 */
export function chooseDriftTest(input: ChooseDriftTestInput): DriftTestName {
  requireCount(input.referenceRows, "referenceRows");
  requireCount(input.nUnique, "nUnique");
  const continuous = input.columnType === "numerical" && input.nUnique > LOW_CARDINALITY;
  if (input.referenceRows <= SMALL_REFERENCE_ROWS) {
    if (continuous) return "ks";
    return input.nUnique > 2 ? "chisquare" : "z";
  }
  return continuous ? "wasserstein" : "jensenshannon";
}

export type ColumnDriftResult = {
  test: DriftTestName;
  /** The test statistic (D, χ², z) or, for distance tests, the distance itself. */
  statistic: number;
  /** Present for the hypothesis tests (ks, chisquare, z). */
  pValue?: number;
  /** p-value tests drift when p < threshold (0.05); distances when distance ≥ threshold (0.1). */
  threshold: number;
  drifted: boolean;
};

/** Evidently's default thresholds for the two families of tests. */
export const P_VALUE_THRESHOLD = 0.05;
export const DISTANCE_THRESHOLD = 0.1;

/**
 * One column's drift verdict with Evidently's default test for it. Missing values (null, undefined,
 * NaN, ±Infinity) are dropped first; a side left empty is an INVALID_INPUT.
 */
export function columnDrift(reference: DriftCell[], current: DriftCell[], columnType: DriftColumnType): ColumnDriftResult {
  const ref = presentValues(reference, "reference");
  const cur = presentValues(current, "current");
  const test = chooseDriftTest({ referenceRows: ref.length, nUnique: countUnique([...ref, ...cur]), columnType });

  const byPValue = (statistic: number, pValue: number): ColumnDriftResult => ({
    test,
    statistic,
    pValue,
    threshold: P_VALUE_THRESHOLD,
    drifted: pValue < P_VALUE_THRESHOLD,
  });
  const byDistance = (statistic: number): ColumnDriftResult => ({
    test,
    statistic,
    threshold: DISTANCE_THRESHOLD,
    drifted: statistic >= DISTANCE_THRESHOLD,
  });

  switch (test) {
    case "ks": {
      const r = ksTwoSample(numericValues(ref, "reference"), numericValues(cur, "current"));
      return byPValue(r.statistic, r.pValue);
    }
    case "wasserstein":
      return byDistance(wassersteinNormed(numericValues(ref, "reference"), numericValues(cur, "current")));
    case "jensenshannon": {
      const shares = binnedShares(ref, cur, { featureType: columnType, fillEmpty: false });
      return byDistance(jensenShannonDistance(shares.reference, shares.current));
    }
    case "chisquare":
    case "z": {
      const counts = countCategories(ref, cur);
      const r = test === "z" ? zTestProportions(counts.reference, counts.current) : chiSquareDrift(counts.reference, counts.current);
      return byPValue(r.statistic, r.pValue);
    }
  }
}

export type DatasetDriftResult = {
  /** Columns tested. */
  columns: number;
  driftedColumns: string[];
  driftedShare: number;
  /** Evidently's dataset drift: the drifted share is ≥ `share`. */
  drifted: boolean;
};

/** Dataset-level drift over per-column results (Evidently's DataDriftPreset, drift_share default 0.5). */
export function datasetDrift(columns: Record<string, ColumnDriftResult>, share = 0.5): DatasetDriftResult {
  if (!Number.isFinite(share) || share <= 0 || share > 1) fail("share", `must be in (0, 1], got ${share}`);
  const names = Object.keys(columns);
  if (names.length === 0) fail("columns", "must contain at least one column");
  const driftedColumns = names.filter((name) => columns[name]?.drifted === true);
  const driftedShare = driftedColumns.length / names.length;
  return { columns: names.length, driftedColumns, driftedShare, drifted: driftedShare >= share };
}
