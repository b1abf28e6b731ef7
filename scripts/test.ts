/**
 * `pnpm test`: the whole suite. Unit and integration tests (Vitest, one real PostgreSQL for the
 * run: embedded, or DATABASE_URL's server), then the end-to-end tests (Playwright in the system
 * Chromium against the built web app). Ends with one line, `N passed, N failed`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const reports = mkdtempSync(path.join(tmpdir(), "gantry-test-"));
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1" };
const run = (cmd: string, args: string[], extraEnv: Record<string, string> = {}) =>
  spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } }).status ?? 1;

const totals = { passed: 0, failed: 0, skipped: 0 };
let failedSteps = 0;

// 1. Vitest across the workspace.
const vitestJson = path.join(reports, "vitest.json");
const vitestStatus = run("pnpm", ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + r.numTodoTests;
}
if (vitestStatus !== 0) failedSteps++;

// 2. Playwright in the system Chromium.
const chromium = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && existsSync(p));
if (!chromium) {
  const banner = "!".repeat(78);
  console.error(`\n${banner}\n!! No Chromium found (CHROMIUM_PATH, /usr/bin/chromium): the END-TO-END TESTS DID NOT RUN.\n!! Install it with: apt-get install -y chromium\n${banner}\n`);
  if (process.env.CI) failedSteps++;
} else {
  const built = run("pnpm", ["exec", "turbo", "run", "build", "--filter=@gantry/web", "--output-logs=errors-only"]);
  if (built !== 0) {
    console.error("The web app failed to build; end-to-end tests not run.");
    failedSteps++;
  } else {
    const pwJson = path.join(reports, "playwright.json");
    const status = run("pnpm", ["--filter", "@gantry/web", "exec", "playwright", "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson, CHROMIUM_PATH: chromium });
    if (existsSync(pwJson)) {
      const r = JSON.parse(readFileSync(pwJson, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
      totals.passed += r.stats.expected + r.stats.flaky;
      totals.failed += r.stats.unexpected;
      totals.skipped += r.stats.skipped;
    }
    if (status !== 0) failedSteps++;
  }
}

if (failedSteps > 0 && totals.failed === 0) totals.failed = failedSteps;
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps > 0 ? 1 : 0);
