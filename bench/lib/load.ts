import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const exec = promisify(execFile);
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../node_modules/autocannon/autocannon.js");

export type LoadResult = {
  label: string;
  rps: number;
  /** autocannon's percentiles are whole milliseconds (its histogram's resolution); the mean is not. */
  p50: number;
  p99: number;
  mean: number;
  /** Socket errors, timeouts and non-2xx answers. */
  errors: number;
  /** Answers with a 2xx status, and the others (both counted by autocannon). */
  ok: number;
  non2xx: number;
  /** Requests sent; `sent - completed` were in flight when the time was up (abandoned by autocannon, maybe answered by the server). */
  sent: number;
  completed: number;
};

/**
 * A bounded load (loopback only) from autocannon in its own process, so the load generator does
 * not share an event loop with the server under test.
 */
export async function load(
  label: string,
  options: { url: string; headers?: Record<string, string>; connections?: number; seconds?: number; method?: string; bodyFile?: string; /** Fixed overall request rate (req/s) instead of as fast as possible. */ rate?: number },
): Promise<LoadResult> {
  const args = [bin, "--json", "-c", String(options.connections ?? 32), "-d", String(options.seconds ?? 8)];
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push("-H", `${k}=${v}`);
  if (options.method) args.push("-m", options.method);
  if (options.bodyFile) args.push("-i", options.bodyFile);
  if (options.rate) args.push("-R", String(Math.round(options.rate)));
  args.push(options.url);
  const { stdout } = await exec(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  const r = JSON.parse(stdout) as { requests: { average: number; total: number; sent: number }; latency: { p50: number; p99: number; mean: number }; errors: number; non2xx: number; "2xx": number };
  return {
    label,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: r.latency.mean,
    errors: r.errors + r.non2xx,
    ok: r["2xx"],
    non2xx: r.non2xx,
    sent: r.requests.sent,
    completed: r.requests.total,
  };
}

export const formatLoad = (r: LoadResult) =>
  `${r.label.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   errors ${r.errors}`;
