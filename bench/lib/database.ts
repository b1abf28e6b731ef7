import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import postgres from "postgres";

import { createDatabase } from "@gantry/db";
import { startEmbeddedPostgres } from "@gantry/db/embedded";
import { migrate } from "@gantry/db/migrate";
import { databaseUrl } from "@gantry/db/testing/urls";

/** A scratch, migrated database on the embedded server (or on DATABASE_URL's), dropped afterwards. */
export async function scratchDatabase() {
  let stopServer = async () => {};
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = await mkdtemp(path.join(tmpdir(), "gantry-bench-pg-"));
    const pg = await startEmbeddedPostgres({ dataDir: dir, port: 0 });
    adminUrl = pg.url();
    stopServer = async () => {
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const name = `gantry_bench_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${name}"`);
  const url = databaseUrl(adminUrl, name);
  await migrate(url);
  const handle = createDatabase({ url, max: 10, applicationName: "gantry-bench" });
  return {
    ...handle,
    url,
    dispose: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
      await stopServer();
    },
  };
}
