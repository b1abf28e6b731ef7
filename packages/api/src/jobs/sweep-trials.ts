import { GantryError } from "@gantry/schema";
import type { SweepConfig } from "@gantry/schema";
import { seededRandom } from "../random";

/*
 * A sweep's trials: the values of each swept field, by dotted path, expanded from the config
 * (grid: every combination; random: `maxRuns` draws from a seeded PRNG). Pure: no I/O.
 */

export type TrialValues = Record<string, unknown>;
type SweepParameter = SweepConfig["parameters"][string];
type RangeParameter = Extract<SweepParameter, { min: number }>;

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const fieldOf = (path: string) => `config.parameters.${path}`;
const invalid = (path: string, message: string) => new GantryError("INVALID_INPUT", `${fieldOf(path)}: ${message}`, { field: fieldOf(path) });

/** Paths are field names joined by dots; ranges must be non-empty (and positive on a log scale). */
export function checkParameters(parameters: SweepConfig["parameters"]): void {
  for (const [path, p] of Object.entries(parameters)) {
    if (!PATH.test(path)) throw invalid(path, "a parameter is a spec field's dotted path, e.g. 'learningRate' or 'model.dropout'");
    if ("values" in p) continue;
    if (!Number.isFinite(p.min) || !Number.isFinite(p.max)) throw invalid(path, "min and max must be finite numbers");
    if (p.min > p.max) throw invalid(path, `min (${p.min}) is greater than max (${p.max})`);
    if (p.scale === "log" && p.min <= 0) throw invalid(path, `a log scale needs min > 0 (got ${p.min})`);
    if (p.integer && Math.ceil(p.min) > Math.floor(p.max)) throw invalid(path, `no integer lies between ${p.min} and ${p.max}`);
  }
}

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));

/** One draw from a range: uniform, or uniform in log space; integers floored into [ceil(min), floor(max)]. */
export function sampleRange(p: RangeParameter, u: number): number {
  if (p.integer) {
    const lo = Math.ceil(p.min);
    const hi = Math.floor(p.max);
    // Sampled over [lo, hi + 1) and floored, so each integer gets its share (of log space on a log scale).
    const v = p.scale === "log" ? Math.exp(Math.log(lo) + u * (Math.log(hi + 1) - Math.log(lo))) : lo + u * (hi + 1 - lo);
    return clamp(Math.floor(v), lo, hi);
  }
  const v = p.scale === "log" ? Math.exp(Math.log(p.min) + u * (Math.log(p.max) - Math.log(p.min))) : p.min + u * (p.max - p.min);
  // Six significant digits keep tags and params readable; clamped, as rounding may step past a bound.
  return clamp(Number(v.toPrecision(6)), p.min, p.max);
}

/** The grid's size, refused above `maxRuns` with the arithmetic shown. */
function gridSize(config: SweepConfig): number {
  const sizes = Object.values(config.parameters).map((p) => ("values" in p ? p.values.length : 0));
  const total = sizes.reduce((a, b) => a * b, 1);
  if (total > config.maxRuns) {
    throw new GantryError(
      "INVALID_INPUT",
      `config.maxRuns: the grid has ${total} trials (${sizes.join(" × ")}), more than maxRuns (${config.maxRuns}); raise maxRuns (at most 500) or list fewer values`,
      { field: "config.maxRuns" },
    );
  }
  return total;
}

/** Every trial of the sweep, in a stable order (grid: the last parameter varies fastest). */
export function expandTrials(config: SweepConfig): TrialValues[] {
  checkParameters(config.parameters);
  const entries = Object.entries(config.parameters);
  if (config.method === "grid") {
    gridSize(config);
    let trials: TrialValues[] = [{}];
    for (const [path, p] of entries) {
      const values = "values" in p ? p.values : [];
      trials = trials.flatMap((t) => values.map((v) => ({ ...t, [path]: v })));
    }
    return trials;
  }
  const next = seededRandom(config.seed);
  return Array.from({ length: config.maxRuns }, () =>
    Object.fromEntries(entries.map(([path, p]) => [path, "values" in p ? p.values[Math.min(p.values.length - 1, Math.floor(next() * p.values.length))] : sampleRange(p, next())])),
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The base spec with each trial value set at its path (objects on the way copied, never shared). */
export function withTrialValues<T extends Record<string, unknown>>(base: T, values: TrialValues): T {
  let spec: Record<string, unknown> = base;
  for (const [path, value] of Object.entries(values)) {
    const set = (target: Record<string, unknown>, keys: string[]): Record<string, unknown> => {
      const [head = "", ...rest] = keys;
      if (!rest.length) return { ...target, [head]: value };
      const inner = target[head];
      if (inner !== undefined && !isRecord(inner)) throw invalid(path, `'${head}' is not an object in the spec, so '${path}' cannot be set`);
      return { ...target, [head]: set(inner ?? {}, rest) };
    };
    spec = set(spec, path.split("."));
  }
  return spec as T;
}

/** How a parameter reads in the parent run's params: its values, or its range and scale. */
export function describeParameter(p: SweepParameter): string {
  const text = "values" in p ? JSON.stringify(p.values) : `${p.integer ? "integer " : ""}${p.scale === "log" ? "log-uniform" : "uniform"}[${p.min}, ${p.max}]`;
  return text.length > 6000 ? `${text.slice(0, 5997)}...` : text;
}

/** A trial value as a tag or log text. */
export const formatValue = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));
