import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const exec = promisify(execFile);
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../node_modules/autocannon/autocannon.js");

export type LoadResult = { label: string; rps: number; p50: number; p99: number; errors: number };

/**
 * A bounded load (loopback only) from autocannon in its own process, so the load generator does
 * not share an event loop with the server under test.
 */
export async function load(label: string, options: { url: string; headers?: Record<string, string>; connections?: number; seconds?: number }): Promise<LoadResult> {
  const args = [bin, "--json", "-c", String(options.connections ?? 32), "-d", String(options.seconds ?? 8)];
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push("-H", `${k}=${v}`);
  args.push(options.url);
  const { stdout } = await exec(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  const r = JSON.parse(stdout) as { requests: { average: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number };
  return { label, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

export const formatLoad = (r: LoadResult) =>
  `${r.label.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   errors ${r.errors}`;
