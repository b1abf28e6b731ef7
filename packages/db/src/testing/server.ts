import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { startEmbeddedPostgres } from "../embedded";

/**
 * The server tests, e2e runs and benchmarks work on: the one at `url` (DATABASE_URL) when given,
 * else a throwaway embedded PostgreSQL in a temporary directory, removed by `stop()`.
 */
export async function openScratchServer(url: string | undefined, label: string): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  if (url) return { adminUrl: url, stop: async () => undefined };
  const dataDir = await mkdtemp(path.join(tmpdir(), `gantry-${label}-pg-`));
  const pg = await startEmbeddedPostgres({ dataDir, port: 0 });
  return {
    adminUrl: pg.url("postgres"),
    stop: async () => {
      await pg.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
