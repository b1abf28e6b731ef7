import "server-only";

import { createDatabase } from "@gantry/db";

import { env } from "~/env";

type Handle = ReturnType<typeof createDatabase>;
const globalForDb = globalThis as unknown as { gantryDb?: Handle };

/** One pool per server process (kept across dev hot reloads). */
export function database(): Handle {
  globalForDb.gantryDb ??= createDatabase({ url: env().DATABASE_URL, max: env().GANTRY_DB_POOL_SIZE, applicationName: "gantry-web" });
  return globalForDb.gantryDb;
}
