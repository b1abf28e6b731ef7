import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import postgres from "postgres";

import { freePort } from "@gantry/db/embedded";
import { migrate } from "@gantry/db/migrate";
import { openScratchServer } from "@gantry/db/testing/server";
import { databaseUrl } from "@gantry/db/testing/urls";

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const workerDir = path.resolve(webDir, "../worker");

async function waitForHealth(url: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${log()}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the web app did not become healthy:\n${log()}`);
}

/** Starts the real worker (`all` role: pg-boss and training, plus the serving port) and resolves once it says it is ready. */
async function startWorker(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; log: () => string }> {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "all"], { cwd: workerDir, env, stdio: ["ignore", "pipe", "pipe"] });
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (c: Buffer) => {
      output += c.toString();
      if (/\[worker\] ready/.test(output)) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the worker exited (${code}) before it was ready:\n${output}`)));
  });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the worker did not become ready:\n${output}`)), 90_000).unref());
  await Promise.race([ready, timeout]);
  return { child, log: () => output };
}

/** SIGTERM (the worker drains and exits), then SIGKILL if it is still there after `graceMs`. */
async function stop(child: ChildProcess, graceMs = 20_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * A fresh database (embedded, or on DATABASE_URL's server), the built web app on a free port and
 * a real worker on the same database and artifact directory, so jobs submitted in the portal run
 * and endpoints deployed there answer on the worker's serving port (which the web app calls).
 */
export default async function globalSetup() {
  const { adminUrl, stop: stopDb } = await openScratchServer(process.env.DATABASE_URL, "e2e");
  const dbName = `gantry_e2e_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${dbName}"`);
  const url = databaseUrl(adminUrl, dbName);
  await migrate(url);

  const artifactDir = await mkdtemp(path.join(tmpdir(), "gantry-e2e-artifacts-"));
  const shared = { ...process.env, DATABASE_URL: url, GANTRY_ARTIFACT_DIR: artifactDir, NODE_ENV: "production" as const };
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const servePort = await freePort();
  const serveUrl = `http://127.0.0.1:${servePort}`;
  let output = "";
  const web = spawn(process.execPath, [path.join(webDir, "node_modules/next/dist/bin/next"), "start", "-p", String(port)], {
    cwd: webDir,
    env: { ...shared, NEXTAUTH_SECRET: randomBytes(32).toString("hex"), NEXTAUTH_URL: baseUrl, NEXT_TELEMETRY_DISABLED: "1", GANTRY_SERVE_URL: serveUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  web.stdout.on("data", (c: Buffer) => (output += c.toString()));
  web.stderr.on("data", (c: Buffer) => (output += c.toString()));
  await waitForHealth(baseUrl, web, () => output);
  // One training job at a time (the default) on a 2-core machine next to the web app and the browser.
  const worker = await startWorker({
    ...shared,
    GANTRY_WORKER_ROLE: "all",
    GANTRY_SERVE_HOST: "127.0.0.1",
    GANTRY_SERVE_PORT: String(servePort),
    GANTRY_SHUTDOWN_TIMEOUT_MS: "10000",
  }).catch(async (error: unknown) => {
    await stop(web);
    throw error;
  });
  process.env.GANTRY_E2E_URL = baseUrl;
  process.env.GANTRY_E2E_DATABASE_URL = url;
  process.env.GANTRY_E2E_SERVE_URL = serveUrl;

  return async () => {
    await stop(worker.child);
    await stop(web);
    // What the processes said, for a failed run (test-results/ is where Playwright keeps its traces).
    await mkdir(path.join(webDir, "test-results"), { recursive: true });
    await writeFile(path.join(webDir, "test-results", "worker.log"), worker.log());
    await writeFile(path.join(webDir, "test-results", "web.log"), output);
    await rm(artifactDir, { recursive: true, force: true });
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
    await stopDb();
  };
}
