import type { SQL } from "drizzle-orm";
import { and, eq, inArray, sql } from "drizzle-orm";

import type { Executor } from "@gantry/db";
import { GantryError, runs } from "@gantry/schema";

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
  const rows = await db.execute<Record<string, string | null>>(search.query);

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
export function buildRunSearch(input: SearchRunIdsInput): { query: SQL; keys: SortKey[]; shape: CursorShape } | null {
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

  const where = and(
    eq(runs.orgId, input.orgId),
    inArray(runs.experimentId, experimentIds),
    input.viewType === "ALL" ? undefined : eq(runs.lifecycleStage, input.viewType === "ACTIVE_ONLY" ? "active" : "deleted"),
    compileFilter(clauses, input.orgId),
    cursor ? keysetSql(keys, cursor) : undefined,
  );
  const columns = sql.join(
    keys.map((key, i) => sql`${cursorValueSql(key)} as ${sql.identifier(`s${i}`)}`),
    sql`, `,
  );
  const joins = sql.join(
    keys.flatMap((key) => (key.join ? [key.join] : [])),
    sql` `,
  );
  const query = sql`select ${columns} from ${runs} ${joins} where ${where} order by ${orderBySql(keys)} limit ${input.maxResults + 1}`;
  return { query, keys, shape };
}
