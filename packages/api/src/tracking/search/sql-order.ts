import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";

import { latestMetrics, runParams, runs, runTags } from "@gantry/schema";

import type { OrderBy } from "./grammar";
import type { SortKeyType } from "./page-token";

/** One ORDER BY key: its expression, the join that provides it, and how it sorts. */
export type SortKey = {
  expr: SQL;
  type: SortKeyType;
  nullable: boolean;
  ascending: boolean;
  join?: SQL;
  /** For a metric key: its name and the table alias, so a search can walk the metric's index in order. */
  metric?: { key: string; value: SQL; innerJoin: SQL };
};

/**
 * The order_by entries, then the default start_time DESC, id ASC (which makes the order total,
 * as keyset pagination needs). Each metric/param/tag key is one LEFT JOIN on the table's
 * (run_id, key) primary key.
 */
export function sortKeysFor(orderBy: readonly OrderBy[], orgId: string): SortKey[] {
  const keys = orderBy.map((entry, i): SortKey => {
    const name = sql.identifier(`o${i}`);
    switch (entry.kind) {
      case "metric": {
        const o = alias(latestMetrics, `o${i}`);
        return {
          // NaN sorts with the missing values: last, whatever the direction.
          expr: sql`nullif(${o.value}, 'NaN'::float8)`,
          type: "float8",
          nullable: true,
          ascending: entry.ascending,
          join: sql`left join ${latestMetrics} as ${name} on ${o.runId} = ${runs.id} and ${o.orgId} = ${orgId} and ${o.key} = ${entry.key}`,
          metric: {
            key: entry.key,
            value: sql`${o.value}`,
            // Present, non-NaN values only ('NaN' is the largest float8, so `< 'NaN'` is "a number").
            innerJoin: sql`join ${latestMetrics} as ${name} on ${o.runId} = ${runs.id} and ${o.orgId} = ${orgId} and ${o.key} = ${entry.key} and ${o.value} < 'NaN'::float8`,
          },
        };
      }
      case "param":
      case "tag": {
        const table = entry.kind === "param" ? runParams : runTags;
        const o = alias(table, `o${i}`);
        return {
          expr: sql`${o.value}`,
          type: "text",
          nullable: true,
          ascending: entry.ascending,
          join: sql`left join ${table} as ${name} on ${o.runId} = ${runs.id} and ${o.orgId} = ${orgId} and ${o.key} = ${entry.key}`,
        };
      }
      case "attribute":
        return { ...attributeKeys[entry.key], ascending: entry.ascending };
    }
  });
  return [...keys, { ...attributeKeys.start_time, ascending: false }, { ...attributeKeys.run_id, ascending: true }];
}

const attributeKeys: Record<Extract<OrderBy, { kind: "attribute" }>["key"], Omit<SortKey, "ascending">> = {
  start_time: { expr: sql`${runs.startTime}`, type: "int8", nullable: false },
  end_time: { expr: sql`${runs.endTime}`, type: "int8", nullable: true },
  run_name: { expr: sql`${runs.name}`, type: "text", nullable: false },
  run_id: { expr: sql`${runs.id}`, type: "uuid", nullable: false },
  status: { expr: sql`${runs.status}`, type: "text", nullable: false },
  user_id: { expr: sql`${runs.userId}`, type: "text", nullable: true },
};

/** Text sorts by code point ("C"), whatever the database's collation: stable across servers. */
const sortable = (key: SortKey): SQL => (key.type === "text" ? sql`${key.expr} collate "C"` : key.expr);

export function orderBySql(keys: readonly SortKey[]): SQL {
  return sql.join(
    keys.map((key) => sql`${sortable(key)} ${key.ascending ? sql`asc` : sql`desc`} nulls last`),
    sql`, `,
  );
}

/** The key's value as text, which is how cursors carry it. */
export const cursorValueSql = (key: SortKey): SQL => sql`${key.expr}::text`;

const typed = (key: SortKey, value: string): SQL => {
  switch (key.type) {
    case "float8":
      return sql`${value}::float8`;
    case "int8":
      return sql`${value}::bigint`;
    case "uuid":
      return sql`${value}::uuid`;
    case "text":
      return sql`${value} collate "C"`;
  }
};

/**
 * Rows strictly after the cursor in the sort order: (k1 after c1) or (k1 = c1 and (k2 after c2
 * or …)), where NULL is after every value and ties only with NULL.
 */
export function keysetSql(keys: readonly SortKey[], cursor: readonly (string | null)[]): SQL {
  let condition: SQL | undefined;
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i];
    if (!key) continue;
    const value = cursor[i] ?? null;
    const tie = value === null ? sql`${key.expr} is null` : sql`${key.expr} = ${typed(key, value)}`;
    let after: SQL | undefined;
    if (value !== null) {
      const beyond = sql`${sortable(key)} ${key.ascending ? sql`>` : sql`<`} ${typed(key, value)}`;
      after = key.nullable ? sql`(${key.expr} is null or ${beyond})` : beyond;
    }
    const rest = condition ? sql`(${tie} and ${condition})` : undefined;
    condition = after && rest ? sql`(${after} or ${rest})` : (after ?? rest ?? sql`false`);
  }
  return condition ?? sql`true`;
}
