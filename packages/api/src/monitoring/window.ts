import type { Executor } from "@gantry/db";
import { sql } from "@gantry/db";
import type { SQL } from "@gantry/db";

/*
 * What a monitoring window holds, aggregated in ONE pass over the prediction log (set-based: the
 * cost grows linearly with the window's rows, nothing is loaded row by row): per feature, the
 * count per reference bin (numeric: the reference histogram's edges, plus below/above-range bins)
 * or per reference category (others under `__other__`), and missing values.
 */

export type BinSpec =
  /** `path`: where the value sits in the log row (features or outputs), as a SQL expression returning jsonb. */
  | { name: string; kind: "numeric"; value: SQL; edges: number[] }
  | { name: string; kind: "categorical"; value: SQL; categories: string[] };

export const BELOW = "below";
export const ABOVE = "above";
export const MISSING = "__missing__";
export const OTHER = "__other__";

/** The smallest double above `x`: thresholds end there so that a value equal to the last edge falls in the last bin (it is closed). */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigInt64(0, view.getBigInt64(0) + (x > 0 ? 1n : -1n));
  return view.getFloat64(0);
}

const textArray = (values: string[]) => `{${values.map((c) => `"${c.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;

/*
 * A feature's bin as a small integer, in SQL, and the label each integer stands for. Inline
 * expressions (no per-row subquery) reading the value at most twice:
 * - numeric: `width_bucket` over the reference edges (the last one nudged up, the last bin being
 *   closed): 0 below the range, 1…n the reference bins, n + 1 above; -1 when not a number;
 * - categorical: the value's position among the reference categories followed by a NULL (so a
 *   missing value finds the NULL), 0 for any other value.
 */
function binCode(spec: BinSpec): { code: SQL; label: (code: number) => string } {
  if (spec.kind === "numeric") {
    const first = spec.edges[0] ?? 0;
    const last = spec.edges[spec.edges.length - 1] ?? 0;
    // A constant reference (one edge pair [v, v]) has one bin: v itself.
    const edges = first === last ? [first, first] : spec.edges;
    const bins = edges.length - 1;
    const thresholds = `{${[...edges.slice(0, -1), nextUp(last)].map(String).join(",")}}`;
    return {
      code: sql`case when jsonb_typeof(${spec.value}) = 'number' then width_bucket((${spec.value})::float8, ${thresholds}::float8[]) else -1 end`,
      label: (code) => (code < 0 ? MISSING : code === 0 ? BELOW : code > bins ? ABOVE : String(code)),
    };
  }
  const categories = spec.categories;
  return {
    code: sql`coalesce(array_position(${`${textArray(categories).slice(0, -1)}${categories.length ? "," : ""}NULL}`}::text[], ${spec.value} #>> '{}'), 0)`,
    label: (code) => (code === 0 ? OTHER : (categories[code - 1] ?? MISSING)),
  };
}

export type WindowCounts = { rows: number; bins: Map<string, Map<string, number>> };

/**
 * Counts per feature and bin over the endpoint's answered rows in [start, end): the variants given
 * only, or (`variants: "answering"`) every variant that answered callers whatever revision served
 * then, i.e. all but shadows' mirrored rows (a hashed anti-join on the endpoint's few shadow revisions).
 */
export async function windowBinCounts(
  db: Executor,
  input: { endpointId: string; start: Date; end: Date; variants: string[] | "answering"; specs: BinSpec[] },
): Promise<WindowCounts> {
  const variants =
    input.variants === "answering"
      ? sql`(l.revision, l.variant) not in (select r.revision, r.policy -> 'variants' -> 1 ->> 'name' from deployment_revisions r where r.endpoint_id = ${input.endpointId} and r.policy ->> 'kind' = 'shadow')`
      : sql`l.variant = any(${`{${input.variants.map((v) => `"${v}"`).join(",")}}`}::text[])`;
  const scope = sql`l.endpoint_id = ${input.endpointId} and l.created_at >= ${input.start.toISOString()}::timestamptz and l.created_at < ${input.end.toISOString()}::timestamptz
     and l.status = 200 and ${variants}`;
  const bins = new Map<string, Map<string, number>>(input.specs.map((s) => [s.name, new Map()]));
  if (!input.specs.length) {
    const [total] = (await db.execute(sql`select count(*)::int as n from prediction_log l where ${scope}`)) as unknown as { n: number }[];
    return { rows: total?.n ?? 0, bins };
  }
  // One pass, one hash table per feature (grouping sets): every set groups by its feature's code, never NULL, so the
  // one non-null code of an output row says whose count it is. `offset 0` keeps the codes in a subquery, whose columns
  // the planner guesses to have few values: it hashes (a few hundred groups) instead of sorting every row once per
  // feature, which it does when it sees expressions over `features` (as many distinct values as rows).
  const codes = input.specs.map(binCode);
  const columns = sql.join(
    codes.map((c, i) => sql`${c.code} as ${sql.raw(`b${i}`)}`),
    sql`, `,
  );
  const names = input.specs.map((_, i) => `b${i}`);
  const rows = (await db.execute(sql`
    select ${sql.raw(names.join(", "))}, count(*)::int as n
      from (select ${columns} from prediction_log l where ${scope} offset 0) x
     group by grouping sets (${sql.raw(names.map((n) => `(${n})`).join(", "))})`)) as unknown as Record<string, number | null>[];
  for (const r of rows) {
    const i = names.findIndex((n) => r[n] !== null && r[n] !== undefined);
    const spec = input.specs[i];
    const code = codes[i];
    if (!spec || !code) continue;
    const counts = bins.get(spec.name);
    const label = code.label(Number(r[names[i] ?? ""]));
    counts?.set(label, (counts.get(label) ?? 0) + Number(r.n));
  }
  // Every row yields one bin per feature: any feature's counts add up to the window's rows.
  const first = bins.get(input.specs[0]?.name ?? "");
  return { rows: [...(first?.values() ?? [])].reduce((a, n) => a + n, 0), bins };
}
