import type { Clause, NumericOperator, OrderBy, StringOperator } from "./grammar";

/**
 * A run as the search grammar sees it. The in-memory evaluator is the reference semantics that
 * the SQL compiler is tested against.
 */
export type SearchableRun = {
  id: string;
  name: string;
  status: string;
  userId: string | null;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  metrics: Record<string, number>;
  datasets: { name: string; digest: string; context: string | null }[];
};

/** True when the run satisfies every clause. */
export function runMatchesFilter(run: SearchableRun, clauses: readonly Clause[]): boolean {
  return clauses.every((clause) => clauseMatches(run, clause));
}

/**
 * The runs in search order: the order_by entries, then start_time DESC and id ASC. Missing
 * values and NaN sort last in both directions; strings compare by code point (SQL's "C" order).
 */
export function sortRuns<R extends SearchableRun>(runs: readonly R[], orderBy: readonly OrderBy[]): R[] {
  const keys = [...orderBy.map((entry) => ({ ascending: entry.ascending, of: (run: SearchableRun) => sortValueOf(run, entry) })), ...tiebreak];
  return [...runs].sort((a, b) => {
    for (const key of keys) {
      const order = compareSortValues(key.of(a), key.of(b), key.ascending);
      if (order !== 0) return order;
    }
    return 0;
  });
}

export type SortValue = number | string | null;

const tiebreak = [
  { ascending: false, of: (run: SearchableRun): SortValue => run.startTime },
  { ascending: true, of: (run: SearchableRun): SortValue => run.id },
];

export function sortValueOf(run: SearchableRun, entry: OrderBy): SortValue {
  switch (entry.kind) {
    case "metric": {
      const value = lookup(run.metrics, entry.key);
      return value === undefined || Number.isNaN(value) ? null : value;
    }
    case "param":
      return lookup(run.params, entry.key) ?? null;
    case "tag":
      return lookup(run.tags, entry.key) ?? null;
    case "attribute":
      return { start_time: run.startTime, end_time: run.endTime, run_name: run.name, run_id: run.id, status: run.status, user_id: run.userId }[entry.key];
  }
}

function compareSortValues(a: SortValue, b: SortValue, ascending: boolean): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const order = typeof a === "number" && typeof b === "number" ? Math.sign(a - b) || 0 : compareCodePoints(String(a), String(b));
  return ascending ? order : -order;
}

/** UTF-8 byte order is code point order, which is what PostgreSQL's "C" collation sorts by. */
export function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function lookup<V>(record: Record<string, V>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function clauseMatches(run: SearchableRun, clause: Clause): boolean {
  switch (clause.kind) {
    case "metric":
      return compareNumber(lookup(run.metrics, clause.key), clause.op, clause.value);
    case "param":
      return compareString(lookup(run.params, clause.key), clause.op, clause.value);
    case "tag":
      return compareString(lookup(run.tags, clause.key), clause.op, clause.value);
    case "time":
      return compareNumber(clause.key === "start_time" ? run.startTime : run.endTime, clause.op, clause.value);
    case "attribute":
      return compareString(stringAttributeOf(run, clause.key), clause.op, clause.value);
    case "attribute-list":
      return clause.values.includes(run.id) === (clause.op === "IN");
    case "dataset":
      return run.datasets.some((dataset) => compareString(dataset[clause.key], clause.op, clause.value));
    case "dataset-list":
      return run.datasets.some((dataset) => {
        const value = dataset[clause.key];
        return value !== null && clause.values.includes(value) === (clause.op === "IN");
      });
  }
}

function stringAttributeOf(run: SearchableRun, key: Extract<Clause, { kind: "attribute" }>["key"]): string | null {
  return { run_id: run.id, run_name: run.name, status: run.status, user_id: run.userId, artifact_uri: run.artifactUri }[key];
}

/** Doubles as SQL would compare them, except that NaN satisfies nothing, not even `!=`. */
function compareNumber(actual: number | null | undefined, op: NumericOperator, expected: number): boolean {
  if (actual === null || actual === undefined || Number.isNaN(actual)) return false;
  switch (op) {
    case "=":
      return actual === expected;
    case "!=":
      return actual !== expected;
    case ">":
      return actual > expected;
    case ">=":
      return actual >= expected;
    case "<":
      return actual < expected;
    case "<=":
      return actual <= expected;
  }
}

function compareString(actual: string | null | undefined, op: StringOperator, expected: string): boolean {
  if (actual === null || actual === undefined) return false;
  switch (op) {
    case "=":
      return actual === expected;
    case "!=":
      return actual !== expected;
    case "LIKE":
      return likePattern(expected, false).test(actual);
    case "ILIKE":
      return likePattern(expected.toLowerCase(), true).test(actual.toLowerCase());
  }
}

const likeCache = new Map<string, RegExp>();

/** SQL LIKE: `%` any run, `_` one character, backslash escapes the next character. */
export function likePattern(pattern: string, insensitive: boolean): RegExp {
  const cacheKey = `${insensitive ? "i" : "s"}${pattern}`;
  const cached = likeCache.get(cacheKey);
  if (cached) return cached;
  let source = "";
  let escaped = false;
  for (const ch of pattern) {
    if (escaped) {
      source += escapeRegExp(ch);
      escaped = false;
    } else if (ch === "\\") escaped = true;
    else if (ch === "%") source += "[^]*";
    else if (ch === "_") source += "[^]";
    else source += escapeRegExp(ch);
  }
  const regExp = new RegExp(`^${source}$`, "u");
  if (likeCache.size > 1000) likeCache.clear();
  likeCache.set(cacheKey, regExp);
  return regExp;
}

const escapeRegExp = (ch: string): string => ch.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
