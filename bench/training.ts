/**
 * Training, each figure against a limit measured in the same run:
 * (a) samples per second of the same MLP (the demo's card-fraud data, 20k rows, 64→32) on each
 *     TensorFlow.js backend this machine can load (tfjs-node, wasm, cpu);
 * (b) the overhead of our job machinery — submit, pg-boss, a real worker process reading the
 *     dataset from the artifact store, per-epoch logging and progress, artifacts, the run — against
 *     calling trainPipeline on the same in-memory table in this process, on the worker's backend.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { createArtifactStore } from "@gantry/api/artifacts";
import { createDatasetVersion, readDatasetTable } from "@gantry/api/datasets";
import { getJob, listJobLogs, submitTrainingJob } from "@gantry/api/jobs";
import { cardFraudCsv } from "@gantry/api/seed/synthetic";
import type { BackendName } from "@gantry/ml";
import { selectBackend, trainPipeline } from "@gantry/ml";
import type { TrainingSpecInput } from "@gantry/schema";
import { ZTrainingSpec } from "@gantry/schema";

import { scratchDatabase } from "./lib/database";
import { benchOrg } from "./lib/fixture";
import { timeIt } from "./lib/stats";

const ROWS = Number(process.env.BENCH_TRAIN_ROWS ?? 20_000);
const EPOCHS = Number(process.env.BENCH_TRAIN_EPOCHS ?? 20);
const PAIRS = Number(process.env.BENCH_TRAIN_PAIRS ?? 4);
const workerDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../apps/worker");

export async function benchTraining() {
  const db = await scratchDatabase();
  const artifactDir = await mkdtemp(path.join(tmpdir(), "gantry-bench-artifacts-"));
  const store = createArtifactStore({ root: artifactDir });
  let worker: ReturnType<typeof spawn> | undefined;
  try {
    const { ctx } = await benchOrg(db.db);
    const { version } = await createDatasetVersion(ctx, store, { name: "card-fraud", body: cardFraudCsv({ rows: ROWS }), fileName: "card-fraud.csv", maxBytes: 1 << 30 });
    const table = await readDatasetTable(ctx, store, version.id);
    const specInput = (epochs: number): TrainingSpecInput => ({
      dataset: { name: "card-fraud", version: version.version },
      target: "is_fraud",
      task: "binary",
      model: { hiddenLayers: [64, 32] },
      batchSize: 256,
      epochs,
      seed: 1,
    });
    const spec = (epochs: number) => ZTrainingSpec.parse(specInput(epochs));

    // (a) samples per second on each backend.
    console.log(`\ntraining (a): MLP 64→32 on ${ROWS.toLocaleString("en")} rows (${table.columns.length - 1} raw features), batch 256, 3 epochs`);
    const rates: Partial<Record<BackendName, number>> = {};
    for (const name of ["tensorflow", "wasm", "cpu"] as const) {
      try {
        await selectBackend({ prefer: [name] });
      } catch (error) {
        console.log(`  ${name.padEnd(10)} not available: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
        continue;
      }
      const result = await trainPipeline({ spec: spec(3), table });
      const last = result.history.at(-1);
      const rate = (result.splitSizes.train * result.history.length) / ((last?.elapsedMs ?? Number.NaN) / 1000);
      rates[name] = rate;
      console.log(`  ${name.padEnd(10)} ${fmtRate(rate)} samples/s   (${((last?.elapsedMs ?? 0) / result.history.length).toFixed(0)} ms/epoch, test_roc_auc ${result.testMetrics.test_roc_auc?.toFixed(3)})`);
    }
    const fastest = Math.max(...Object.values(rates));
    for (const [name, rate] of Object.entries(rates)) console.log(`  ${name.padEnd(10)} ${((rate / fastest) * 100).toFixed(0)}% of the fastest here`);

    // (b) the job machinery against a direct call, on the backend the worker will choose.
    const chosen = await selectBackend();
    console.log(`\ntraining (b): ${EPOCHS} epochs on ${chosen.name}, direct trainPipeline vs a job through a worker process`);
    worker = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "jobs"], {
      cwd: workerDir,
      env: { ...process.env, DATABASE_URL: db.url, GANTRY_ARTIFACT_DIR: artifactDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    await waitForLine(worker, /ready \(role jobs/);

    const runJob = async (epochs: number) => {
      const job = await submitTrainingJob(ctx, specInput(epochs));
      for (;;) {
        const current = await getJob(ctx, job.id);
        if (current.status === "succeeded") return current;
        if (current.status === "failed" || current.status === "cancelled") throw new Error(`job ${job.id} ${current.status}: ${current.error}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // Both sides warm: a first job in the worker, a first call here (JIT, wasm compile).
    await runJob(1);
    await trainPipeline({ spec: spec(1), table });

    const directs: number[] = [];
    const jobs: number[] = [];
    const phases: string[] = [];
    for (let i = 0; i < PAIRS; i++) {
      directs.push((await timeIt(() => trainPipeline({ spec: spec(EPOCHS), table })))[0]);
      const [ms, done] = await timeIt(() => runJob(EPOCHS));
      jobs.push(ms);
      phases.push(await jobPhases(ctx, done));
    }
    const direct = median(directs);
    const job = median(jobs);
    // Each job is compared with the direct call just before it: the machine's load drifts less within a pair.
    const overhead = median(jobs.map((j, i) => j / (directs[i] ?? Number.NaN) - 1));
    console.log(`  direct trainPipeline (in memory)  median ${fmtMs(direct)}   (${directs.map(fmtMs).join(", ")})`);
    console.log(`  job: submit → worker → succeeded  median ${fmtMs(job)}   (${jobs.map(fmtMs).join(", ")})`);
    for (const p of phases) console.log(`    where a job's time went: ${p}`);
    console.log(`  overhead of the job machinery (median of ${PAIRS} pairs): ${(overhead * 100).toFixed(1)}% of direct training time (aim ≤ 10%)`);
  } finally {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker?.once("exit", r));
      worker.kill("SIGTERM");
      await exited;
    }
    await db.dispose();
    await rm(artifactDir, { recursive: true, force: true });
  }
}

/** Queue wait, dataset load, training (first to last epoch line) and finishing, from the job's own timestamps and log. */
async function jobPhases(ctx: Parameters<typeof getJob>[0], job: Awaited<ReturnType<typeof getJob>>): Promise<string> {
  const { items } = await listJobLogs(ctx, { jobId: job.id, limit: 1000 });
  const at = (pattern: RegExp) => items.find((l) => pattern.test(l.message))?.at.getTime() ?? Number.NaN;
  const started = job.startedAt?.getTime() ?? Number.NaN;
  const loaded = at(/^Loaded /);
  const lastEpoch = items.filter((l) => /^epoch /.test(l.message)).at(-1)?.at.getTime() ?? Number.NaN;
  const finished = job.finishedAt?.getTime() ?? Number.NaN;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return `queue ${s(started - job.createdAt.getTime())}, load ${s(loaded - started)}, train ${s(lastEpoch - loaded)}, finish ${s(finished - lastEpoch)}`;
}

function waitForLine(child: ReturnType<typeof spawn>, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (seen += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${seen}`)));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmtMs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const fmtRate = (r: number) => `${(r / 1000).toFixed(1)}k`.padStart(7);
