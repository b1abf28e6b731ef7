import { pathToFileURL } from "node:url";

/**
 * The ingest benchmark's load: `CLIENTS` concurrent MLflow clients posting `runs/log-batch` with
 * `BATCH` points each until `POINTS` are sent. Run in its own process (like autocannon for the
 * other benchmarks) so building the bodies does not share the server's event loop. Prints the
 * elapsed milliseconds as JSON on stdout.
 */
const { URL: url = "", KEY: key = "", RUN_ID: runId = "" } = process.env;
const POINTS = Number(process.env.POINTS);
const BATCH = Number(process.env.BATCH);
const CLIENTS = Number(process.env.CLIENTS);
const T0 = Number(process.env.T0);

/** The values the benchmark logs (and copies in its limit): a slow sine with a little jitter. */
export const benchValue = (i: number) => Math.sin(i / 1000) + (i % 7) / 100;

async function main() {
  let next = 0;
  const client = async () => {
    for (;;) {
      const start = next;
      next += BATCH;
      if (start >= POINTS) return;
      const metrics = Array.from({ length: Math.min(BATCH, POINTS - start) }, (_, j) => ({ key: "loss", value: benchValue(start + j), timestamp: T0 + start + j, step: start + j }));
      const r = await fetch(`${url}/api/2.0/mlflow/runs/log-batch`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ run_id: runId, metrics }) });
      if (r.status !== 200) throw new Error(`log-batch answered ${r.status}: ${await r.text()}`);
    }
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  process.stdout.write(JSON.stringify({ ms: performance.now() - t }));
}

// Run as a script (not when the benchmark imports benchValue from here).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
