import type { ColumnProfile, ColumnType, DatasetColumn } from "@gantry/schema";
import { GantryError } from "@gantry/schema";

import { histogram, Moments, QuantileSketch, SmallValueCounts, TopCounter } from "./sketch";
import { describeType, isMissing, parseAs, parseBoolean, parseDatetime, parseInteger, parseNumber } from "./values";

/** A string column is categorical with at most this many distinct values … */
export const CATEGORICAL_MAX_DISTINCT = 50;
/** … or with distinct values at most this fraction of the rows. */
export const CATEGORICAL_MAX_FRACTION = 0.05;
const TOP_K = 10;

/** Numbers of a column (numeric, or datetime as epoch ms): moments, quantiles, small-value counts. */
class NumberStats {
  readonly moments = new Moments();
  readonly sketch = new QuantileSketch();
  readonly small = new SmallValueCounts();

  add(x: number): void {
    this.moments.add(x);
    this.sketch.add(x);
    this.small.add(x);
  }

  profile(integer: boolean): Partial<ColumnProfile> {
    const m = this.moments;
    if (m.count === 0) return {};
    return {
      min: m.min,
      max: m.max,
      mean: m.mean,
      std: m.std,
      quantiles: this.sketch.quantiles(),
      histogram: histogram({ min: m.min, max: m.max, count: m.count, integer, small: this.small, sketch: this.sketch }),
    };
  }
}

/**
 * One column's inference and profile, in one pass. Every candidate type is tracked until a value
 * rules it out (at most one of boolean, number, datetime survives the first value), so the
 * inferred type is known at the end even when the uploader overrode it; an override is checked
 * on every value as it arrives.
 */
export class ColumnState {
  count = 0;
  missing = 0;
  private couldBeInteger = true;
  private numbers: NumberStats | null = new NumberStats();
  private dates: NumberStats | null = new NumberStats();
  private booleans: [number, number] | null = [0, 0];
  /** Boolean override: counts by the loose reading (1/0, t/f, y/n too). */
  private looseBooleans: [number, number] | null;
  private readonly values = new TopCounter();

  constructor(
    readonly name: string,
    private readonly override: ColumnType | undefined,
  ) {
    this.looseBooleans = override === "boolean" ? [0, 0] : null;
  }

  /** `row` is the 1-based data row, for the error of a value that does not fit the override. */
  add(raw: string, row: number): void {
    if (isMissing(raw)) {
      this.missing += 1;
      return;
    }
    this.count += 1;
    if (this.override !== undefined) this.checkOverride(raw, row);
    // Past the distinct cap, a column still read as numbers or dates shows no top values and its
    // distinct count is capped: counting its strings would only cost time.
    if (!this.values.overflowed || (!this.numbers && !this.dates)) this.values.add(raw);

    if (this.booleans) {
      const b = parseBoolean(raw);
      if (b === undefined) this.booleans = null;
      else this.booleans[b ? 0 : 1] += 1;
    }
    if (this.numbers) {
      const n = parseNumber(raw);
      if (n === undefined) this.numbers = null;
      else {
        if (this.couldBeInteger && parseInteger(raw) === undefined) this.couldBeInteger = false;
        this.numbers.add(n);
      }
    }
    if (this.dates) {
      const d = parseDatetime(raw);
      if (d === undefined) this.dates = null;
      else this.dates.add(d);
    }
  }

  private checkOverride(raw: string, row: number): void {
    const override = this.override;
    if (override === undefined || override === "text" || override === "categorical") return;
    const value = parseAs(override, raw);
    if (value === undefined) {
      const shown = raw.length > 60 ? `${raw.slice(0, 60)}…` : raw;
      throw new GantryError("INVALID_INPUT", `Column '${this.name}' is set to ${override}, but row ${row} has '${shown}', which is not ${describeType[override]}`, {
        field: `columnTypes.${this.name}`,
      });
    }
    if (this.looseBooleans && typeof value === "boolean") this.looseBooleans[value ? 0 : 1] += 1;
  }

  inferredType(rowCount: number): ColumnType {
    if (this.count === 0) return "text";
    if (this.booleans) return "boolean";
    if (this.numbers) return this.couldBeInteger ? "integer" : "numeric";
    if (this.dates) return "datetime";
    const distinct = this.values.distinct;
    if (!this.values.overflowed && (distinct <= CATEGORICAL_MAX_DISTINCT || distinct <= CATEGORICAL_MAX_FRACTION * rowCount)) return "categorical";
    return "text";
  }

  finish(rowCount: number): { column: DatasetColumn; profile: ColumnProfile } {
    const inferredType = this.inferredType(rowCount);
    const type = this.override ?? inferredType;
    const base: ColumnProfile = {
      name: this.name,
      type,
      count: this.count,
      missing: this.missing,
      distinct: this.values.distinct,
      ...(this.values.overflowed ? { distinctCapped: true } : {}),
    };
    let extra: Partial<ColumnProfile> = {};
    if (type === "integer" || type === "numeric") extra = this.numbers?.profile(type === "integer") ?? {};
    else if (type === "datetime") extra = this.dates?.profile(false) ?? {};
    else if (type === "boolean") {
      const [t, f] = this.looseBooleans ?? this.booleans ?? [0, 0];
      const top = [
        { value: "true", count: t },
        { value: "false", count: f },
      ].filter((v) => v.count > 0);
      extra = { distinct: top.length, top: top.sort((a, b) => b.count - a.count) };
    } else extra = { top: this.values.top(TOP_K) };
    return { column: { name: this.name, type, inferredType }, profile: finiteOnly({ ...base, ...extra }) };
  }
}

/**
 * Numbers near the double range (|x| > ~1e154) overflow the moments or the histogram's range;
 * jsonb would store the Infinity as null and the profile would no longer read back. A statistic
 * that is not finite is left out (and a histogram whose edges are not).
 */
function finiteOnly(profile: ColumnProfile): ColumnProfile {
  const out: ColumnProfile = { ...profile };
  for (const key of ["min", "max", "mean", "std"] as const) if (out[key] !== undefined && !Number.isFinite(out[key])) delete out[key];
  if (out.quantiles && Object.values(out.quantiles).some((q) => !Number.isFinite(q))) delete out.quantiles;
  if (out.histogram && out.histogram.edges.some((e) => !Number.isFinite(e))) delete out.histogram;
  return out;
}
