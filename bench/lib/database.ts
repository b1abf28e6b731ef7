import { randomBytes } from "node:crypto";

import postgres from "postgres";

import { createDatabase } from "@gantry/db";
import { openScratchServer } from "@gantry/db/testing/server";
import { migrate } from "@gantry/db/migrate";
import { databaseUrl } from "@gantry/db/testing/urls";

/** A scratch, migrated database on the embedded server (or on DATABASE_URL's), dropped afterwards. */
export async function scratchDatabase() {
  const { adminUrl, stop: stopServer } = await openScratchServer(process.env.DATABASE_URL, "bench");
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
