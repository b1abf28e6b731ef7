import type { Executor } from "@gantry/db";
import { sql } from "@gantry/db";
import type { SQL } from "@gantry/db";

/*
 * What a monitoring window holds, aggregated in ONE pass over the prediction log (set-based: the
 * cost grows linearly with the window's rows, nothing is loaded row by row): per feature, the
 * count per reference bin (numeric: the reference histogram's edges, plus below/above-range bins)
 * or per reference category (others under `__other__`), and missing values.
 */

/** Where a value sits in a log row: its column, then the keys (object keys, array indexes) down to it. */
export type ValuePath = { column: "features" | "outputs"; keys: [string | number, ...(string | number)[]] };

export type BinSpec =
  | { name: string; kind: "numeric"; at: ValuePath; edges: number[] }
  | { name: string; kind: "categorical"; at: ValuePath; categories: string[] };

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

/** The value at `at` in the log row `l`, as jsonb (`->` all the way) or as text (`->>` for the last key). */
function read(at: ValuePath, as: "jsonb" | "text"): SQL {
  const key = (k: string | number) => (typeof k === "number" ? sql.raw(String(Math.trunc(k))) : sql`${k}`);
  const last = at.keys.length - 1;
  return sql.join(
    [sql.raw(`l.${at.column === "features" ? "features" : "outputs"}`), ...at.keys.map((k, i) => (i === last && as === "text" ? sql`->> ${key(k)}` : sql`-> ${key(k)}`))],
    sql` `,
  );
}

/*
 * A feature's bin as a small integer ≥ 0 computed in SQL from its value `v` (read once per row, see
 * windowBinCounts), `span` the number of codes, and the label each code stands for:
 * - numeric (v jsonb): 0 when not a number; else 1 + `width_bucket` over the reference edges (the
 *   last one nudged up, the last bin being closed): 1 below the range, 2…n + 1 the reference bins,
 *   n + 2 above. Compared as numeric, not float8 (jsonb to float8 prints the number and parses it
 *   again): the same order, since the log holds numbers as JSON.stringify writes them and the edges
 *   are written by String(), both the shortest decimal that reads back as the double;
 * - categorical (v text): the value's position among the reference categories followed by a NULL
 *   (so a missing value finds the NULL), 0 for any other value.
 */
function binCode(spec: BinSpec, v: SQL): { code: SQL; span: number; label: (code: number) => string } {
  if (spec.kind === "numeric") {
    const first = spec.edges[0] ?? 0;
    const last = spec.edges[spec.edges.length - 1] ?? 0;
    // A constant reference (one edge pair [v, v]) has one bin: v itself.
    const edges = first === last ? [first, first] : spec.edges;
    const bins = edges.length - 1;
    const thresholds = `{${[...edges.slice(0, -1), nextUp(last)].map(String).join(",")}}`;
    return {
      code: sql`case when jsonb_typeof(${v}) = 'number' then width_bucket(${v}::numeric, ${thresholds}::numeric[]) + 1 else 0 end`,
      span: bins + 3,
      label: (code) => (code === 0 ? MISSING : code === 1 ? BELOW : code > bins + 1 ? ABOVE : String(code - 1)),
    };
  }
  const categories = spec.categories;
  return {
    code: sql`coalesce(array_position(${`${textArray(categories).slice(0, -1)}${categories.length ? "," : ""}NULL}`}::text[], ${v}), 0)`,
    span: categories.length + 2,
    label: (code) => (code === 0 ? OTHER : (categories[code - 1] ?? MISSING)),
  };
}

/** How many features share one grouping key, hence one hash table: two halves the hashing (a third would gain little more). */
const GROUP = 2;

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
  /*
   * One pass, three levels. The innermost reads each value out of the row's jsonb ONCE (a `->` is a key search and a
   * new datum, and PostgreSQL evaluates an expression again wherever it appears: inline, a numeric value was read
   * twice); the next bins the values and pairs the codes into one key (`a · span_b + b`); the outer counts each pair
   * in its own hash table (grouping sets): every set groups by its key, never NULL, so the one non-null key of an
   * output row says whose counts it holds.
   * The subqueries are fences (`offset '0'`): over their columns the planner guesses few groups and hashes (a few
   * hundred) instead of sorting every row once per set, which it does over expressions of `features`. The offset is
   * the int8 constant itself: a plain `0` is an int4 cast the planner takes for a real OFFSET when it decides what may
   * run in parallel workers, and the binning then runs in the leader alone, above the Gather.
   */
  const codes = input.specs.map((spec, i) => binCode(spec, sql.raw(`x.v${i}`)));
  const values = sql.join(
    input.specs.map((spec, i) => sql`${read(spec.at, spec.kind === "numeric" ? "jsonb" : "text")} as ${sql.raw(`v${i}`)}`),
    sql`, `,
  );
  // A group's key is ((c0 · span1 + c1) · span2 + c2)…: int8 if it could overflow an int4 (thousands of categories).
  const groups = Array.from({ length: Math.ceil(codes.length / GROUP) }, (_, g) => codes.slice(g * GROUP, (g + 1) * GROUP));
  const keys = sql.join(
    groups.map((group, g) => {
      const wide = group.reduce((n, c) => n * c.span, 1) >= 2 ** 31;
      const key = group.slice(1).reduce((acc, c) => sql`(${acc}) * ${sql.raw(String(c.span))} + ${c.code}`, wide ? sql`(${group[0]?.code})::int8` : (group[0]?.code ?? sql`0`));
      return sql`${key} as ${sql.raw(`k${g}`)}`;
    }),
    sql`, `,
  );
  const names = groups.map((_, g) => `k${g}`);
  const rows = (await db.execute(sql`
    select ${sql.raw(names.join(", "))}, count(*)::int as n
      from (select ${keys} from (select ${values} from prediction_log l where ${scope} offset '0') x offset '0') y
     group by grouping sets (${sql.raw(names.map((n) => `(${n})`).join(", "))})`)) as unknown as Record<string, number | string | null>[];
  for (const r of rows) {
    const g = names.findIndex((n) => r[n] !== null && r[n] !== undefined);
    let key = Number(r[names[g] ?? ""]);
    const group = groups[g] ?? [];
    for (let m = group.length - 1; m >= 0; m--) {
      const code = group[m];
      if (!code) continue;
      const label = code.label(key % code.span);
      key = Math.floor(key / code.span);
      const counts = bins.get(input.specs[g * GROUP + m]?.name ?? "");
      counts?.set(label, (counts.get(label) ?? 0) + Number(r.n));
    }
  }
  // Every row yields one bin per feature: any feature's counts add up to the window's rows.
  const first = bins.get(input.specs[0]?.name ?? "");
  return { rows: [...(first?.values() ?? [])].reduce((a, n) => a + n, 0), bins };
}
