import type { ColumnType } from "@gantry/schema";

/*
 * How a CSV cell is read. One set of rules for inference, validation of overrides, profiling and
 * the typed reader, so a file that profiled as a type always reads as that type.
 */

/** A typed cell, as `readDatasetTable` hands rows to training: datetime as epoch ms, missing as null. */
export type Cell = number | boolean | string | null;

const MISSING = new Set(["", "na", "n/a", "nan", "null", "none"]);

/** Empty (after trimming) or one of NA, N/A, NaN, null, None in any case. */
export function isMissing(raw: string): boolean {
  if (raw.length === 0) return true;
  const s = raw.trim();
  return s.length <= 4 && MISSING.has(s.toLowerCase());
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A safe integer, or undefined. Leading zeros are allowed ("007" is 7), as pandas reads them. */
export function parseInteger(raw: string): number | undefined {
  const s = raw.trim();
  if (!INTEGER.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A finite decimal number (integers included), or undefined. */
export function parseNumber(raw: string): number | undefined {
  const s = raw.trim();
  if (!NUMBER.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

const TRUE_WORDS = new Set(["true", "yes"]);
const FALSE_WORDS = new Set(["false", "no"]);
/** An overridden boolean column also takes 1/0 and t/f, y/n; inference does not (0/1 stays integer). */
const TRUE_LOOSE = new Set(["true", "yes", "1", "t", "y"]);
const FALSE_LOOSE = new Set(["false", "no", "0", "f", "n"]);

export function parseBoolean(raw: string, loose = false): boolean | undefined {
  const s = raw.trim().toLowerCase();
  if ((loose ? TRUE_LOOSE : TRUE_WORDS).has(s)) return true;
  if ((loose ? FALSE_LOOSE : FALSE_WORDS).has(s)) return false;
  return undefined;
}

const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * ISO 8601 dates and date-times (`2024-03-01`, `2024-03-01T12:30`, `2024-03-01 12:30:05.123+02:00`)
 * as epoch milliseconds; no offset means UTC (never the server's local time). Impossible dates
 * (`2024-02-30`) are not dates.
 */
export function parseDatetime(raw: string): number | undefined {
  const m = ISO_DATETIME.exec(raw.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + ms;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm): no Date object per cell. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The typed value of a non-missing cell, or undefined when it does not fit `type`. */
export function parseAs(type: ColumnType, raw: string): number | boolean | string | undefined {
  switch (type) {
    case "integer":
      return parseInteger(raw);
    case "numeric":
      return parseNumber(raw);
    case "boolean":
      return parseBoolean(raw, true);
    case "datetime":
      return parseDatetime(raw);
    case "categorical":
    case "text":
      return raw;
  }
}

/** The typed cell of a stored version: null when missing; a value that no longer fits is missing too. */
export const toCell = (type: ColumnType, raw: string): Cell => (isMissing(raw) ? null : (parseAs(type, raw) ?? null));

export const describeType: Record<ColumnType, string> = {
  integer: "an integer",
  numeric: "a number",
  boolean: "a boolean (true/false, yes/no, 1/0)",
  datetime: "an ISO 8601 date or date-time",
  categorical: "a category",
  text: "text",
};
