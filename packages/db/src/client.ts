import type { SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import * as schema from "@gantry/schema";

export type Database = ReturnType<typeof createDatabase>["db"];
/** A database handle or a transaction: services accept either. */
export type Executor = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

export type DatabaseOptions = {
  url: string;
  max?: number;
  /** Names the connection in pg_stat_activity. */
  applicationName?: string;
};

export function createDatabase(options: DatabaseOptions) {
  const sql = postgres(options.url, {
    max: options.max ?? 10,
    onnotice: () => undefined,
    connection: { application_name: options.applicationName ?? "gantry" },
  });
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/** What drizzle keeps on a database or transaction handle: its dialect (to render SQL) and the postgres.js client it runs on. */
type Internals = { dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } }; session: { client: postgres.Sql } };

/**
 * Runs a statement as a named prepared statement of its connection. drizzle sends every query
 * unprepared, and postgres.js then asks the server for the parameters' types first: two round
 * trips per query. A hot statement whose text never changes (a batch insert of fixed shape) is
 * prepared once per connection and then costs one. Not for statements built from varying SQL
 * (each distinct text would stay prepared on its connection).
 */
export async function executePrepared<T extends Record<string, unknown>>(db: Executor, query: SQL): Promise<T[]> {
  const internals = db as unknown as Internals;
  const { sql: text, params } = internals.dialect.sqlToQuery(query);
  return (await internals.session.client.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as T[];
}
