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
