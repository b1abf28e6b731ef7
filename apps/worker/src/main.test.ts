import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

const tdb = await createTestDatabase();
afterAll(() => tdb.drop());

const cwd = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Starts the real worker process; resolves once it prints a line matching `until`. */
function startWorker(args: string[], env: Record<string, string>, until: RegExp) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const matched = new Promise<RegExpMatchArray>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = output.match(until);
      if (m) resolve(m);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => reject(new Error(`worker exited (${code}) before ${until}:\n${output}`)));
  });
  return { child, matched, exited, output: () => output };
}

describe("worker process", () => {
  it("starts in role all, answers /healthz, and stops cleanly on SIGTERM", async () => {
    const w = startWorker(["all"], { DATABASE_URL: tdb.url, GANTRY_SERVE_PORT: "0", GANTRY_SERVE_HOST: "127.0.0.1" }, /serve: listening on http:\/\/127\.0\.0\.1:(\d+)[\s\S]*ready/);
    const m = await w.matched;
    const response = await fetch(`http://127.0.0.1:${m[1]}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", role: "all", database: "ok" });
    expect(w.output()).toContain("jobs: pg-boss started");
    expect(w.output()).toMatch(/tensorflow\.js backend: (tensorflow|wasm|cpu)/);
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(0);
    expect(w.output()).toContain("stopped");
  });

  it("role serve starts no job runner", async () => {
    const w = startWorker(["serve"], { DATABASE_URL: tdb.url, GANTRY_SERVE_PORT: "0", GANTRY_SERVE_HOST: "127.0.0.1" }, /ready \(role serve/);
    await w.matched;
    expect(w.output()).not.toContain("pg-boss started");
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(0);
  });

  it("fails fast, naming the setting, on bad settings", async () => {
    const w = startWorker([], { DATABASE_URL: tdb.url, GANTRY_WORKER_ROLE: "everything" }, /GANTRY_WORKER_ROLE/);
    await w.matched.catch(() => undefined);
    expect(await w.exited).toBe(1);
    expect(w.output()).toMatch(/GANTRY_WORKER_ROLE must be one of all, jobs, serve/);
  });
});
