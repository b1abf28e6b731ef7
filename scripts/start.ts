/**
 * `pnpm start`: the whole product on one machine. Embedded PostgreSQL (unless DATABASE_URL),
 * migrations, a demo seed on an empty database, the web app and the worker; Ctrl-C stops it all
 * in order (web and worker first, the database last). Data stays in GANTRY_DATA_DIR.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { createArtifactStore } from "@gantry/api/artifacts";
import { seedDemo } from "@gantry/api/seed";
import { createDatabase } from "@gantry/db";
import type { EmbeddedPostgres } from "@gantry/db/embedded";
import { startEmbeddedPostgres } from "@gantry/db/embedded";
import { migrate } from "@gantry/db/migrate";

import type { Managed } from "./lib/processes";
import { startProcess, stopProcess, waitForHttp } from "./lib/processes";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const log = (message: string) => console.log(`[gantry] ${message}`);

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number (1–65535), got "${raw}"`);
  return value;
}

async function readOrCreate(file: string, make: () => string): Promise<string> {
  const existing = await readFile(file, "utf8").catch(() => null);
  if (existing?.trim()) return existing.trim();
  const value = make();
  await writeFile(file, value + "\n", { mode: 0o600 });
  return value;
}

async function main() {
  const dataDir = path.resolve(root, process.env.GANTRY_DATA_DIR || ".gantry");
  const webPort = port("PORT", 3000);
  const servePort = port("GANTRY_SERVE_PORT", 3100);
  const pgPort = port("GANTRY_PG_PORT", 54329);
  await mkdir(dataDir, { recursive: true });

  let embedded: EmbeddedPostgres | undefined;
  const children: Managed[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log("stopping…");
    await Promise.all(children.map((c) => stopProcess(c, 20_000)));
    await embedded?.stop();
    log("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  try {
    let databaseUrl = process.env.DATABASE_URL;
    if (databaseUrl) {
      log("using the database at DATABASE_URL");
    } else {
      embedded = await startEmbeddedPostgres({ dataDir, port: pgPort, detached: true, log });
      databaseUrl = embedded.url("postgres");
    }
    await migrate(databaseUrl);
    log("migrations applied");

    const artifactDir = process.env.GANTRY_ARTIFACT_DIR || path.join(dataDir, "artifacts");
    const artifacts = createArtifactStore({ root: artifactDir, bucket: process.env.GANTRY_S3_BUCKET, prefix: process.env.GANTRY_S3_PREFIX, region: process.env.GANTRY_S3_REGION, endpoint: process.env.GANTRY_S3_ENDPOINT, forcePathStyle: process.env.GANTRY_S3_FORCE_PATH_STYLE === "true" });
    const { db, close } = createDatabase({ url: databaseUrl, max: 2, applicationName: "gantry-start" });
    const demo = await seedDemo(db, { artifacts });
    await close();
    if (demo) {
      await writeFile(path.join(dataDir, "demo-api-key"), demo.apiKey + "\n", { mode: 0o600 });
      await writeFile(path.join(dataDir, "demo-password"), demo.password + "\n", { mode: 0o600 });
    }

    if (process.env.GANTRY_SKIP_BUILD !== "1") {
      log("building the web app if anything changed (turbo cache)…");
      execFileSync("pnpm", ["exec", "turbo", "run", "build", "--filter=@gantry/web", "--output-logs=errors-only"], {
        cwd: root,
        stdio: "inherit",
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1" },
      });
    }

    const secret = process.env.NEXTAUTH_SECRET || (await readOrCreate(path.join(dataDir, "auth-secret"), () => randomBytes(32).toString("base64url")));
    const webUrl = process.env.NEXTAUTH_URL || `http://localhost:${webPort}`;
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: secret,
      NEXTAUTH_URL: webUrl,
      PORT: String(webPort),
      GANTRY_SERVE_PORT: String(servePort),
      GANTRY_SERVE_URL: process.env.GANTRY_SERVE_URL || `http://127.0.0.1:${servePort}`,
      GANTRY_SERVE_PUBLIC_URL: process.env.GANTRY_SERVE_PUBLIC_URL || `http://localhost:${servePort}`,
      GANTRY_ARTIFACT_DIR: artifactDir,
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
    };
    const web = startProcess("web", process.execPath, [path.join(root, "apps/web/node_modules/next/dist/bin/next"), "start", "-p", String(webPort)], { cwd: path.join(root, "apps/web"), env });
    const worker = startProcess("worker", process.execPath, ["--import", "tsx", "src/main.ts", "all"], { cwd: path.join(root, "apps/worker"), env });
    children.push(web, worker);
    for (const c of children) {
      void c.exited.then((code) => {
        if (!stopping) {
          log(`${c.name} exited unexpectedly (code ${code}); stopping everything`);
          void shutdown(1);
        }
      });
    }
    await Promise.all([waitForHttp(`http://127.0.0.1:${webPort}/api/health`, web, 120_000), waitForHttp(`http://127.0.0.1:${servePort}/healthz`, worker, 60_000)]);

    const lines = [
      "",
      "Gantry is running.",
      `  Portal:        ${webUrl}`,
      `  API health:    ${webUrl}/api/health`,
      `  Model serving: http://localhost:${servePort} (the demo endpoint: /orgs/demo/v1/models/fraud:predict; /metrics)`,
      `  Database:      ${embedded ? `embedded PostgreSQL on 127.0.0.1:${pgPort}, data in ${path.join(dataDir, "pg")}` : "DATABASE_URL"}`,
      demo
        ? `  Demo sign-in:  ${demo.email} / ${demo.password}\n  Demo API key:  ${demo.apiKey}\n                 (shown once; also in ${path.join(dataDir, "demo-api-key")})`
        : `  Demo sign-in:  demo@gantry.local (password in ${path.join(dataDir, "demo-password")})`,
      "Press Ctrl-C to stop.",
      "",
    ];
    console.log(lines.join("\n"));
  } catch (error) {
    console.error(`[gantry] failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

void main();
