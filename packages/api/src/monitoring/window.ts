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

/** The bin label of a value, in SQL: `1`…`n` for the reference bins, `below`/`above` outside them. */
function binExpression(spec: BinSpec): SQL {
  if (spec.kind === "numeric") {
    const first = spec.edges[0] ?? 0;
    const last = spec.edges[spec.edges.length - 1] ?? 0;
    const bins = Math.max(1, spec.edges.length - 1);
    // A constant reference (one edge pair [v, v]) has one bin: v itself.
    const inside =
      first === last
        ? sql`case when v = ${first}::float8 then '1' when v < ${first}::float8 then ${BELOW} else ${ABOVE} end`
        : sql`case when v < ${first}::float8 then ${BELOW} when v > ${last}::float8 then ${ABOVE} when v = ${last}::float8 then ${String(bins)} else width_bucket(v, ${first}::float8, ${last}::float8, ${bins})::text end`;
    return sql`(select case when v is null then ${MISSING} else ${inside} end
                  from (select case when jsonb_typeof(${spec.value}) = 'number' then (${spec.value} #>> '{}')::float8 end as v) x)`;
  }
  return sql`(select case when c is null then ${MISSING} when c = any(${`{${spec.categories.map((c) => `"${c.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`}::text[]) then c else ${OTHER} end
                from (select case when jsonb_typeof(${spec.value}) in ('null') or ${spec.value} is null then null else ${spec.value} #>> '{}' end as c) x)`;
}

export type WindowCounts = { rows: number; bins: Map<string, Map<string, number>> };

/** Counts per feature and bin over the endpoint's answered rows in [start, end), the variants given only. */
export async function windowBinCounts(
  db: Executor,
  input: { endpointId: string; start: Date; end: Date; variants: string[]; specs: BinSpec[] },
): Promise<WindowCounts> {
  const scope = sql`l.endpoint_id = ${input.endpointId} and l.created_at >= ${input.start.toISOString()}::timestamptz and l.created_at < ${input.end.toISOString()}::timestamptz
     and l.status = 200 and l.variant = any(${`{${input.variants.map((v) => `"${v}"`).join(",")}}`}::text[])`;
  const bins = new Map<string, Map<string, number>>(input.specs.map((s) => [s.name, new Map()]));
  if (!input.specs.length) {
    const [total] = (await db.execute(sql`select count(*)::int as n from prediction_log l where ${scope}`)) as unknown as { n: number }[];
    return { rows: total?.n ?? 0, bins };
  }
  const values = sql.join(
    input.specs.map((s) => sql`(${s.name}::text, ${binExpression(s)})`),
    sql`, `,
  );
  const rows = (await db.execute(sql`
    select f.name, f.bin, count(*)::int as n
      from prediction_log l
      cross join lateral (values ${values}) as f(name, bin)
     where ${scope}
     group by 1, 2`)) as unknown as { name: string; bin: string; n: number }[];
  for (const r of rows) bins.get(r.name)?.set(r.bin, r.n);
  // Every row yields one bin per feature: any feature's counts add up to the window's rows.
  const first = bins.get(input.specs[0]?.name ?? "");
  return { rows: [...(first?.values() ?? [])].reduce((a, n) => a + n, 0), bins };
}
