import { sortLabels } from "@gantry/ml/cells";
import type { ColumnProfile, ColumnType } from "@gantry/schema";

import { isMissing, parseAs, parseBoolean, parseInteger, parseNumber } from "../datasets/values";

/*
 * A logged prediction as a row of its dataset: each JSON input value, and the label that came as
 * feedback, written as a CSV cell the way the dataset reads that column's type (the same rules as
 * an upload: `parseAs`), or undefined when it does not fit, so the new version keeps every
 * column's type and the row is left out instead.
 */

/** A logged input value as a cell of a column of `type`; "" when missing. */
export function inputCell(type: ColumnType, value: unknown): string | undefined {
  if (value === null || value === undefined) return "";
  let raw: string | undefined;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    if (type === "datetime") raw = new Date(value).toISOString();
    else if (type === "boolean") raw = value === 1 ? "true" : value === 0 ? "false" : undefined;
    else raw = String(value);
  } else if (typeof value === "boolean") {
    raw = type === "boolean" || type === "categorical" || type === "text" ? String(value) : undefined;
  } else if (typeof value === "string") {
    raw = type === "boolean" ? booleanText(parseBoolean(value, true)) : value;
  }
  return raw !== undefined && fits(type, raw) ? raw : undefined;
}

/**
 * The label of a row's feedback (always text) as a cell of the target column: a number for
 * numeric targets, true/false for booleans. A binary target of two categories also takes 1/0,
 * true/false, yes/no for its classes (the second in training's order is the positive one), as
 * performance monitoring reads labels.
 */
export function labelCell(type: ColumnType, label: string, profile: ColumnProfile | undefined): string | undefined {
  if (isMissing(label)) return undefined;
  let raw: string | undefined = label;
  if (type === "boolean") raw = booleanText(parseBoolean(label, true));
  else if (type === "integer") {
    const n = parseInteger(label);
    const zeroOne = profile?.min !== undefined && profile.min >= 0 && profile.max !== undefined && profile.max <= 1;
    raw = n !== undefined ? String(n) : zeroOne ? booleanText(parseBoolean(label, true), "1", "0") : undefined;
  } else if (type === "numeric") {
    const n = parseNumber(label);
    raw = n === undefined ? undefined : String(n);
  } else if (type === "categorical") {
    raw = binaryClass(label, profile) ?? label;
  }
  return raw !== undefined && fits(type, raw) ? raw : undefined;
}

const booleanText = (b: boolean | undefined, yes = "true", no = "false") => (b === undefined ? undefined : b ? yes : no);

const fits = (type: ColumnType, raw: string) => isMissing(raw) || parseAs(type, raw) !== undefined;

/** A 1/0-style label of a two-class categorical target as that class's own value; undefined otherwise (the label is kept). */
function binaryClass(label: string, profile: ColumnProfile | undefined): string | undefined {
  const classes = profile?.distinct === 2 && !profile.distinctCapped ? (profile.top ?? []).map((t) => t.value) : [];
  if (classes.length !== 2 || classes.includes(label)) return undefined;
  const positive = parseBoolean(label, true);
  if (positive === undefined) return undefined;
  // Training's order of the classes: the second is its positive class.
  const [negative, pos] = sortLabels(classes);
  return positive ? pos : negative;
}

/** One CSV field, quoted when it has to be (RFC 4180). */
export const csvField = (raw: string): string => (/[",\r\n]/.test(raw) ? `"${raw.replaceAll('"', '""')}"` : raw);
