import type postgres from "postgres";

import journal from "../drizzle/meta/_journal.json";

/* Kept apart from migrate.ts: this file is bundled into the web app, which never migrates. */

export type MigrationStatus = { current: boolean; applied: number; expected: number };

/** Whether the database has every migration this build ships (for health checks). */
export async function migrationStatus(sql: postgres.Sql): Promise<MigrationStatus> {
  const expected = journal.entries.length;
  const latest = journal.entries.at(-1)?.when ?? 0;
  const rows = await sql<{ applied: number; last: string | null }[]>`
    select count(*)::int as applied, max(created_at)::text as last
    from drizzle.__drizzle_migrations`.catch(() => [{ applied: 0, last: null }]);
  const applied = rows[0]?.applied ?? 0;
  const last = Number(rows[0]?.last ?? 0);
  return { current: applied >= expected && last >= latest, applied, expected };
}
