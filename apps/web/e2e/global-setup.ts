import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

import postgres from "postgres";

import { freePort } from "@gantry/db/embedded";
import { migrate } from "@gantry/db/migrate";
import { openScratchServer } from "@gantry/db/testing/server";
import { databaseUrl } from "@gantry/db/testing/urls";

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

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

/** A fresh database (embedded, or on DATABASE_URL's server) and the built web app on a free port. */
export default async function globalSetup() {
  const { adminUrl, stop: stopDb } = await openScratchServer(process.env.DATABASE_URL, "e2e");
  const dbName = `gantry_e2e_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${dbName}"`);
  const url = databaseUrl(adminUrl, dbName);
  await migrate(url);

  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  let output = "";
  const web = spawn(process.execPath, [path.join(webDir, "node_modules/next/dist/bin/next"), "start", "-p", String(port)], {
    cwd: webDir,
    env: { ...process.env, DATABASE_URL: url, NEXTAUTH_SECRET: randomBytes(32).toString("hex"), NEXTAUTH_URL: baseUrl, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  web.stdout.on("data", (c: Buffer) => (output += c.toString()));
  web.stderr.on("data", (c: Buffer) => (output += c.toString()));
  await waitForHealth(baseUrl, web, () => output);
  process.env.GANTRY_E2E_URL = baseUrl;
  process.env.GANTRY_E2E_DATABASE_URL = url;

  return async () => {
    web.kill("SIGTERM");
    await new Promise((r) => web.once("exit", r));
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
    await stopDb();
  };
}
