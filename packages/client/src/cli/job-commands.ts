import { readFile } from "node:fs/promises";

import type { Command } from "commander";

import type { Job, JobLogLine } from "@gantry/schema/job-contracts";
import type { TrainingSpecInput } from "@gantry/schema/training";

import type { GantryClient } from "../client";
import { isFinished } from "../jobs";
import type { Io } from "./output";
import { emit } from "./output";
import { describeProgress, formatNumber, progressReporter } from "./progress";
import { table } from "./table";

type WithClient = (body: (client: GantryClient, json: boolean) => Promise<void>) => () => Promise<void>;

type TrainOptions = {
  dataset?: string;
  target?: string;
  task?: string;
  epochs?: string;
  features?: string;
  hidden?: string;
  lr?: string;
  batchSize?: string;
  seed?: string;
  experiment?: string;
  runName?: string;
  register?: string;
  spec?: string;
  wait?: boolean;
};

const fail = (message: string): never => {
  throw new Error(message);
};
const int = (flag: string, raw: string) => (/^\d+$/.test(raw) ? Number(raw) : fail(`${flag} must be a whole number, got '${raw}'`));
const num = (flag: string, raw: string) => (Number.isFinite(Number(raw)) && raw.trim() !== "" ? Number(raw) : fail(`${flag} must be a number, got '${raw}'`));
const list = (raw: string) => raw.split(",").map((s) => s.trim()).filter(Boolean);

/** `NAME`, `NAME@latest` or `NAME@3`. */
function datasetRef(raw: string): { name: string; version?: number | "latest" } {
  const [name = "", version, extra] = raw.split("@");
  if (!name || extra !== undefined || (version !== undefined && version !== "latest" && !/^\d+$/.test(version))) fail(`--dataset must be NAME or NAME@VERSION, got '${raw}'`);
  return version === undefined || version === "latest" ? { name } : { name, version: Number(version) };
}

/** `MODEL` or `MODEL@ALIAS` (names are checked by the server). */
function registerRef(raw: string): { model: string; alias?: string } {
  const [model = "", alias, extra] = raw.split("@");
  if (!model || extra !== undefined || alias === "") fail(`--register must be MODEL or MODEL@ALIAS, got '${raw}'`);
  return alias === undefined ? { model } : { model, alias };
}

/** The spec: the --spec file's fields, with the flags given on top. */
async function trainingSpec(opts: TrainOptions): Promise<TrainingSpecInput> {
  let base: Record<string, unknown> = {};
  if (opts.spec) {
    const text = await readFile(opts.spec, "utf8").catch((error: unknown) => fail(`cannot read --spec ${opts.spec}: ${error instanceof Error ? error.message : String(error)}`));
    try {
      base = JSON.parse(text) as Record<string, unknown>;
    } catch {
      fail(`--spec ${opts.spec} is not valid JSON`);
    }
    if (typeof base !== "object" || base === null || Array.isArray(base)) fail(`--spec ${opts.spec} must hold a JSON object`);
  }
  const flags: Record<string, unknown> = {
    ...(opts.dataset !== undefined ? { dataset: datasetRef(opts.dataset) } : {}),
    ...(opts.target !== undefined ? { target: opts.target } : {}),
    ...(opts.task !== undefined ? { task: opts.task } : {}),
    ...(opts.epochs !== undefined ? { epochs: int("--epochs", opts.epochs) } : {}),
    ...(opts.features !== undefined ? { features: list(opts.features) } : {}),
    ...(opts.lr !== undefined ? { learningRate: num("--lr", opts.lr) } : {}),
    ...(opts.batchSize !== undefined ? { batchSize: int("--batch-size", opts.batchSize) } : {}),
    ...(opts.seed !== undefined ? { seed: int("--seed", opts.seed) } : {}),
    ...(opts.experiment !== undefined ? { experiment: opts.experiment } : {}),
    ...(opts.runName !== undefined ? { runName: opts.runName } : {}),
    ...(opts.register !== undefined ? { register: registerRef(opts.register) } : {}),
  };
  const spec: Record<string, unknown> = { ...base, ...flags };
  if (opts.hidden !== undefined) {
    const hiddenLayers = opts.hidden === "none" ? [] : list(opts.hidden).map((h) => int("--hidden", h));
    spec.model = { ...(base.model as Record<string, unknown> | undefined), hiddenLayers };
  }
  if (spec.dataset === undefined || spec.target === undefined) fail("train needs --dataset and --target (or a --spec file that has them)");
  return spec as TrainingSpecInput;
}

const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 19) : "—");
const datasetOf = (job: Job) => {
  const d = job.spec.dataset as { name?: string; version?: number } | undefined;
  return d?.name ? `${d.name}@${d.version ?? "latest"}` : "—";
};
const progressCell = (job: Job) => (job.status === "succeeded" ? "done" : job.progress.epoch !== undefined ? `epoch ${job.progress.epoch}/${job.progress.epochs ?? "?"}` : `${Math.round(job.progress.fraction * 100)}%`);
const logLine = (l: JobLogLine) => `${when(l.at)}  ${l.level.toUpperCase().padEnd(5)}  ${l.message}`;
const registeredLine = (job: Job) => {
  const r = job.result?.registered as { model: string; version: number; alias?: string } | undefined;
  return r ? [`registered: models:/${r.model}/${r.version}${r.alias ? ` (@${r.alias})` : ""}`] : [];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `gantry train …` and `gantry jobs …`. */
export function addJobCommands(program: Command, io: Io, withClient: WithClient) {
  program
    .command("train")
    .description("submit a training job (flags override the --spec file); --wait follows it to the end")
    .option("--dataset <name[@version]>", "dataset to train on (latest version unless @N)")
    .option("--target <column>", "column to predict")
    .option("--task <task>", "binary, multiclass or regression (default: inferred from the target)")
    .option("--epochs <n>", "training epochs")
    .option("--features <a,b,…>", "feature columns (default: all but the target)")
    .option("--hidden <64,32>", "units per hidden layer ('none' for a linear model)")
    .option("--lr <x>", "learning rate")
    .option("--batch-size <n>", "batch size")
    .option("--seed <n>", "random seed")
    .option("--experiment <name>", "experiment the run goes to (created if missing)")
    .option("--run-name <name>", "name of the run")
    .option("--register <model[@alias]>", "on success, register the model as the next version of MODEL (and point ALIAS at it)")
    .option("--spec <file>", "a JSON training spec; the flags above are applied on top of it")
    .option("--wait", "follow the job (progress on stderr), then print the run and its test metrics; exit 1 if it fails")
    .action((opts: TrainOptions) =>
      withClient(async (client, json) => {
        const job = await client.jobs.submitTraining(await trainingSpec(opts));
        const target = String(job.spec.target);
        if (!opts.wait) {
          emit(io, json, job, () => [`Submitted job ${job.id}: train on ${datasetOf(job)}, target '${target}'.`, `Follow it: gantry jobs logs ${job.id} --follow`]);
          return;
        }
        if (!json) io.err(`Submitted job ${job.id}: train on ${datasetOf(job)}, target '${target}'.`);
        const progress = progressReporter(io);
        let done: Job;
        try {
          done = await client.jobs.wait(job.id, { onProgress: progress.update, intervalMs: 500 });
        } finally {
          progress.stop();
        }
        const testMetrics = (done.result?.testMetrics ?? {}) as Record<string, number>;
        emit(io, json, { job: done, runId: done.runId, testMetrics }, () =>
          done.status === "succeeded"
            ? [`Job ${done.id} succeeded.`, `run: ${done.runId ?? "—"}`, ...registeredLine(done), ...Object.entries(testMetrics).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} = ${formatNumber(v)}`)]
            : [],
        );
        if (done.status !== "succeeded") {
          if (!json) io.err(done.status === "failed" ? `error: job ${done.id} failed: ${done.error ?? "no message"}` : `error: job ${done.id} was cancelled`);
          process.exitCode = 1;
        }
      })(),
    );

  const jobs = program.command("jobs").description("training jobs of the key's org");
  jobs
    .command("list")
    .description("jobs, newest first")
    .option("--status <status>", "queued, running, succeeded, failed or cancelled")
    .option("--kind <kind>", "train or sweep")
    .option("--limit <n>", "how many", "20")
    .action((opts: { status?: string; kind?: string; limit: string }) =>
      withClient(async (client, json) => {
        const page = await client.jobs.list({ status: opts.status as Job["status"] | undefined, kind: opts.kind as Job["kind"] | undefined, limit: int("--limit", opts.limit) });
        emit(io, json, page, () =>
          table(
            ["JOB ID", "KIND", "STATUS", "PROGRESS", "DATASET", "CREATED", "RUN"],
            page.items.map((j) => [j.id, j.kind, j.status, progressCell(j), datasetOf(j), when(j.createdAt), j.runId ?? "—"]),
          ),
        );
      })(),
    );
  jobs
    .command("get <jobId>")
    .description("a job's status, progress, run and error")
    .action((jobId: string) =>
      withClient(async (client, json) => {
        const j = await client.jobs.get(jobId);
        emit(io, json, j, () => [
          `job:      ${j.id} (${j.kind})`,
          `status:   ${j.status}${j.cancelRequested && j.status === "running" ? " (cancel requested)" : ""}`,
          `progress: ${describeProgress(j)}`,
          `dataset:  ${datasetOf(j)}   target: ${String(j.spec.target ?? "—")}`,
          `run:      ${j.runId ?? "—"}`,
          `attempts: ${j.attempts}`,
          `created:  ${when(j.createdAt)}   started ${when(j.startedAt)}   finished ${when(j.finishedAt)}`,
          ...(j.error ? [`error:    ${j.error}`] : []),
        ]);
      })(),
    );
  jobs
    .command("cancel <jobId>")
    .description("cancel a job (a running one stops at its next batch)")
    .action((jobId: string) =>
      withClient(async (client, json) => {
        const j = await client.jobs.cancel(jobId);
        emit(io, json, j, () => [j.status === "cancelled" ? `Cancelled job ${j.id}.` : `Cancellation requested for job ${j.id}; it stops at its next batch.`]);
      })(),
    );
  jobs
    .command("retry <jobId>")
    .description("run a failed or cancelled job again, as a new job")
    .action((jobId: string) =>
      withClient(async (client, json) => {
        const j = await client.jobs.retry(jobId);
        emit(io, json, j, () => [`Retrying job ${jobId} as job ${j.id}.`]);
      })(),
    );
  jobs
    .command("logs <jobId>")
    .description("a job's log; --follow keeps printing until the job ends (with --json: one JSON line per log line)")
    .option("--follow", "keep following until the job is finished")
    .action((jobId: string, opts: { follow?: boolean }) =>
      withClient(async (client, json) => {
        if (!opts.follow) {
          const page = await client.jobs.logs(jobId);
          emit(io, json, page.items, () => (page.items.length ? page.items.map(logLine) : ["(no log lines)"]));
          return;
        }
        let after: number | undefined;
        for (;;) {
          // Read the job first: lines written before it finished are all there on the next read.
          const finished = isFinished(await client.jobs.get(jobId));
          const page = await client.jobs.logs(jobId, after);
          for (const line of page.items) io.out(json ? JSON.stringify(line) : logLine(line));
          after = page.lastId;
          if (finished && page.items.length === 0) return;
          if (page.items.length === 0) await sleep(1000);
        }
      })(),
    );
}
