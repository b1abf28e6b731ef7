import type { ColumnType } from "@gantry/schema";

import type { Cell } from "./types";

/*
 * How a raw cell becomes a number or a category, shared by training and prediction so both read
 * a value the same way. Serving receives JSON, so strings are accepted where numbers are expected
 * ("3.5", ISO dates) and numbers where categories are.
 */

export const isMissing = (cell: Cell | undefined): cell is null | undefined =>
  cell === null || cell === undefined || (typeof cell === "number" && Number.isNaN(cell)) || cell === "";

/** A number, `null` when missing, `undefined` when the cell cannot be read as a number. */
export function cellToNumber(cell: Cell | undefined, type: ColumnType): number | null | undefined {
  if (isMissing(cell)) return null;
  if (typeof cell === "number") return Number.isFinite(cell) ? cell : undefined;
  if (typeof cell === "boolean") return cell ? 1 : 0;
  const text = cell.trim();
  if (type === "boolean") {
    const lower = text.toLowerCase();
    if (lower === "true" || lower === "1") return 1;
    if (lower === "false" || lower === "0") return 0;
    return undefined;
  }
  const value = Number(text);
  if (text !== "" && Number.isFinite(value)) return value;
  if (type === "datetime") {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** A category as a string (`null` when missing): numbers and booleans by their JSON text. */
export function cellToCategory(cell: Cell | undefined): string | null {
  if (isMissing(cell)) return null;
  return typeof cell === "string" ? cell : String(cell);
}

/** Orders label strings: numerically when every label is a number, otherwise by code unit (locale-independent). */
export function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((l) => l.trim() !== "" && Number.isFinite(Number(l)));
  return [...labels].sort(numeric ? (a, b) => Number(a) - Number(b) || compareText(a, b) : compareText);
}

export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
