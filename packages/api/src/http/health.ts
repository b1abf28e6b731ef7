import type postgres from "postgres";

import { migrationStatus } from "@gantry/db";

/** GET /api/health: 200 when the database answers and has every migration, else 503 with why. */
export async function handleHealth(sql: postgres.Sql): Promise<Response> {
  try {
    await sql`select 1`;
    const migrations = await migrationStatus(sql);
    const ok = migrations.current;
    return Response.json({ status: ok ? "ok" : "degraded", database: "ok", migrations }, { status: ok ? 200 : 503 });
  } catch (error) {
    return Response.json({ status: "error", database: "unreachable", error: String(error) }, { status: 503 });
  }
}
