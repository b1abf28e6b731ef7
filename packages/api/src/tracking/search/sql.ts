import type { SQL } from "drizzle-orm";
import { and, eq, inArray, sql } from "drizzle-orm";

import type { Executor } from "@gantry/db";
import { GantryError, latestMetrics, runs } from "@gantry/schema";

import { decodePageToken, encodePageToken, orderSignature } from "./page-token";
import type { CursorShape } from "./page-token";
import { parseOrderBy, parseRunFilter } from "./parse";
import { compileFilter } from "./sql-filter";
import type { SortKey } from "./sql-order";
import { cursorValueSql, keysetSql, orderBySql, sortKeysFor } from "./sql-order";

export type RunViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

export type SearchRunIdsInput = {
  orgId: string;
  experimentIds: readonly string[];
  filter?: string;
  orderBy?: readonly string[];
  maxResults: number;
  pageToken?: string;
  viewType: RunViewType;
};

export type SearchRunIdsResult = { runIds: string[]; nextPageToken: string | null };

/** MLflow's threshold for search_runs' max_results. */
export const maxSearchResults = 50_000;

const anyUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The ids of the org's runs in the given experiments that match an MLflow filter, one page at a
 * time in order_by order (then start_time DESC, id ASC). Pages are keyset cursors: stable while
 * runs are added or deleted. Experiment ids that are not uuids cannot name a run's experiment and
 * are dropped rather than refused, as MLflow drops unknown ids.
 */
export async function searchRunIds(db: Executor, input: SearchRunIdsInput): Promise<SearchRunIdsResult> {
  const search = buildRunSearch(input);
  if (!search) return { runIds: [], nextPageToken: null };
  let rows: Record<string, string | null>[] = [];
  if (search.phases) {
    // Ordered by a metric: walk its index for the runs that have a value, then the runs without.
    const { present, missing } = search.phases;
    if (present) rows = [...(await db.execute<Record<string, string | null>>(present))];
    if (rows.length <= input.maxResults) rows = [...rows, ...(await db.execute<Record<string, string | null>>(missing(input.maxResults + 1 - rows.length)))];
  } else {
    rows = [...(await db.execute<Record<string, string | null>>(search.query))];
  }

  const { keys, shape } = search;
  const page = rows.slice(0, input.maxResults);
  const valuesOf = (row: Record<string, string | null>) => keys.map((_, i) => row[`s${i}`] ?? null);
  const runIds = page.map((row) => String(row[`s${keys.length - 1}`]));
  const last = page.at(-1);
  const nextPageToken = rows.length > input.maxResults && last ? encodePageToken(shape, valuesOf(last)) : null;
  return { runIds, nextPageToken };
}

/**
 * The page query (one row more than a page, to tell whether another follows), or null when no
 * experiment id can match. Validates the whole input first.
 */
export function buildRunSearch(
  input: SearchRunIdsInput,
): { query: SQL; keys: SortKey[]; shape: CursorShape; phases?: { present: SQL | null; missing: (limit: number) => SQL } } | null {
  if (!Number.isInteger(input.maxResults) || input.maxResults < 1 || input.maxResults > maxSearchResults) {
    throw new GantryError("INVALID_INPUT", `max_results must be an integer from 1 to ${maxSearchResults}`, { field: "max_results" });
  }
  const clauses = parseRunFilter(input.filter ?? "");
  const orderBy = parseOrderBy(input.orderBy ?? []);
  const keys = sortKeysFor(orderBy, input.orgId);
  const shape: CursorShape = { signature: orderSignature(orderBy), keys };
  const cursor = input.pageToken ? decodePageToken(input.pageToken, shape) : undefined;

  const experimentIds = [...new Set(input.experimentIds.filter((id) => anyUuid.test(id)).map((id) => id.toLowerCase()))];
  if (experimentIds.length === 0) return null;

  const base = and(
    eq(runs.orgId, input.orgId),
    inArray(runs.experimentId, experimentIds),
    input.viewType === "ALL" ? undefined : eq(runs.lifecycleStage, input.viewType === "ACTIVE_ONLY" ? "active" : "deleted"),
    compileFilter(clauses, input.orgId),
  );
  const where = and(base, cursor ? keysetSql(keys, cursor) : undefined);
  const columns = sql.join(
    keys.map((key, i) => sql`${cursorValueSql(key)} as ${sql.identifier(`s${i}`)}`),
    sql`, `,
  );
  const joins = sql.join(
    keys.flatMap((key) => (key.join ? [key.join] : [])),
    sql` `,
  );
  const query = sql`select ${columns} from ${runs} ${joins} where ${where} order by ${orderBySql(keys)} limit ${input.maxResults + 1}`;
  const first = keys[0];
  if (!first?.metric) return { query, keys, shape };

  /*
   * Ordered by a metric first: one query sorting every match is O(matches); instead read the
   * metric's (org_id, key, value) index in order and stop after a page (runs that have a value),
   * then, only when that runs out, the runs without one (NULL/NaN sort last either way).
   */
  const rest = keys.slice(1);
  const restJoins = sql.join(
    rest.flatMap((key) => (key.join ? [key.join] : [])),
    sql` `,
  );
  const restColumns = sql.join(
    rest.map((key, i) => sql`${cursorValueSql(key)} as ${sql.identifier(`s${i + 1}`)}`),
    sql`, `,
  );
  const present =
    cursor && cursor[0] === null
      ? null
      : sql`select ${first.metric.value}::text as ${sql.identifier("s0")}, ${restColumns} from ${runs} ${first.metric.innerJoin} ${restJoins}
          where ${and(base, cursor ? keysetSql([{ ...first, expr: first.metric.value, nullable: false }, ...rest], cursor) : undefined)}
          order by ${first.metric.value} ${first.ascending ? sql`asc` : sql`desc`}, ${orderBySql(rest)} limit ${input.maxResults + 1}`;
  const missing = (limit: number) =>
    sql`select null::text as ${sql.identifier("s0")}, ${restColumns} from ${runs} ${restJoins}
        where ${and(
          base,
          sql`not exists (select 1 from ${latestMetrics} m where m.run_id = ${runs.id} and m.org_id = ${input.orgId} and m.key = ${first.metric?.key} and m.value < 'NaN'::float8)`,
          cursor && cursor[0] === null ? keysetSql(rest, cursor.slice(1)) : undefined,
        )}
        order by ${orderBySql(rest)} limit ${limit}`;
  return { query, keys, shape, phases: { present, missing } };
}
