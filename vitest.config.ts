import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

const workspaces = ["packages/schema", "packages/db", "packages/api", "packages/ml", "packages/client", "apps/worker", "apps/web"];

/**
 * One Vitest run for the whole repo: one PostgreSQL (embedded, or DATABASE_URL) for all of it,
 * started by the global setup; each test file clones a fresh database from a migrated template.
 */
export default defineConfig({
  test: {
    globalSetup: [fileURLToPath(new URL("packages/db/src/testing/global-setup.ts", import.meta.url))],
    passWithNoTests: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // 2 cores: more forks only contend.
    maxWorkers: 2,
    projects: workspaces.map((dir) => ({
      test: {
        name: `@gantry/${dir.split("/")[1] ?? dir}`,
        root: fileURLToPath(new URL(dir, import.meta.url)),
        include: ["src/**/*.test.ts", "test/**/*.test.ts"],
        passWithNoTests: true,
        testTimeout: 30_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
