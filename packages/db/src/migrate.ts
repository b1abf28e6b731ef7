import { fileURLToPath } from "node:url";

import { migrate as drizzleMigrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import { createDatabase } from "./client";

/** Any constant works; it only has to be the same in every process of a deployment. */
const MIGRATION_LOCK_ID = 7_262_011_337;

export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/**
 * Applies pending migrations. Safe when several processes start at once: the first takes a
 * session advisory lock and migrates (drizzle runs the pending files in one transaction); the
 * others wait for the lock, then find nothing left to do.
 */
export async function migrate(url: string): Promise<void> {
  const lock = postgres(url, { max: 1, onnotice: () => undefined });
  const { db, close } = createDatabase({ url, max: 1, applicationName: "gantry-migrate" });
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await drizzleMigrate(db, { migrationsFolder, migrationsSchema: "drizzle", migrationsTable: "__drizzle_migrations" });
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.catch(() => undefined);
    await lock.end({ timeout: 5 });
    await close();
  }
}
