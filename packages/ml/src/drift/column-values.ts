import { fail } from "../stats/guards";

/** One observed value of a monitored column: a number, or a category label. */
export type DriftValue = number | string | boolean;
/** As logged: missing values allowed, dropped before any test (as Evidently does). */
export type DriftCell = DriftValue | null | undefined;
/** Text columns are out of scope: Evidently tests them with a domain classifier, not a statistic. */
export type DriftColumnType = "numerical" | "categorical";

export type CategoryCounts = {
  /** Categories seen in either sample, in sorted order (numbers ascending, then strings). */
  keys: DriftValue[];
  reference: number[];
  current: number[];
};

/**
 * Drops what Evidently drops before a drift test (`replace([-inf, inf], nan).dropna()`): null,
 * undefined, NaN and ±Infinity. An empty column after that is an INVALID_INPUT.
 */
export function presentValues(values: DriftCell[], field: string): DriftValue[] {
  const kept = values.filter(
    (v): v is DriftValue => v !== null && v !== undefined && !(typeof v === "number" && !Number.isFinite(v)),
  );
  if (kept.length === 0) fail(field, "has no non-missing values");
  return kept;
}

export function numericValues(values: DriftValue[], field: string): number[] {
  return values.map((v, i) => {
    if (typeof v !== "number") fail(`${field}[${i}]`, `must be a number in a numerical column, got ${JSON.stringify(v)}`);
    return v;
  });
}

const typeRank = (v: DriftValue): number => (typeof v === "string" ? 1 : 0);

/** Python's ordering for a homogeneous column (False < True, numbers numerically, strings by code point). */
export function compareCategories(a: DriftValue, b: DriftValue): number {
  const rank = typeRank(a) - typeRank(b);
  if (rank !== 0) return rank;
  if (typeof a === "string" || typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}

export function countUnique(values: DriftValue[]): number {
  return new Set(values).size;
}

/** value_counts of both samples over the union of their categories. */
export function countCategories(reference: DriftValue[], current: DriftValue[]): CategoryCounts {
  const keys = [...new Set([...reference, ...current])].sort(compareCategories);
  const index = new Map(keys.map((k, i) => [k, i]));
  const tally = (values: DriftValue[]): number[] => {
    const counts = new Array<number>(keys.length).fill(0);
    for (const v of values) {
      const i = index.get(v) ?? 0;
      counts[i] = (counts[i] ?? 0) + 1;
    }
    return counts;
  };
  return { keys, reference: tally(reference), current: tally(current) };
}
