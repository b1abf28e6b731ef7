import { GantryError } from "@gantry/schema/errors";

/*
 * Input checks shared by the A/B statistics. Every failure is an INVALID_INPUT that names the
 * field, so the API surface can point the caller at the value that is wrong.
 */

function invalid(field: string, message: string): GantryError {
  return new GantryError("INVALID_INPUT", `${field}: ${message}`, { field });
}

export function requireCount(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0) throw invalid(field, `must be a non-negative integer, got ${value}`);
  return value;
}

export function requirePositiveCount(value: number, field: string): number {
  if (!Number.isInteger(value) || value <= 0) throw invalid(field, `must be a positive integer, got ${value}`);
  return value;
}

export function requireNonNegative(value: number, field: string): number {
  if (!Number.isFinite(value) || value < 0) throw invalid(field, `must be a finite number ≥ 0, got ${value}`);
  return value;
}

export function requirePositive(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0) throw invalid(field, `must be a finite number > 0, got ${value}`);
  return value;
}

export function requireFinite(value: number, field: string): number {
  if (!Number.isFinite(value)) throw invalid(field, `must be a finite number, got ${value}`);
  return value;
}

/** Strictly inside (0, 1): significance levels, powers, rates used as baselines. */
export function requireOpenUnit(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0 || value >= 1) throw invalid(field, `must be strictly between 0 and 1, got ${value}`);
  return value;
}

export function fail(field: string, message: string): never {
  throw invalid(field, message);
}
