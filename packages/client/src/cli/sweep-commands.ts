import type { Command } from "commander";

import type { SweepConfigInput } from "@gantry/schema/jobs";
import type { SweepView } from "@gantry/schema/sweep-contracts";

import type { GantryClient } from "../client";
import { readJsonObject } from "./json-file";
import type { Io } from "./output";
import { emit } from "./output";
import { table } from "./table";

type WithClient = (body: (client: GantryClient, json: boolean) => Promise<void>) => () => Promise<void>;

/** Four significant digits, trailing zeros dropped (0.3, not 0.3000); non-finite metrics come back from JSON as null. */
const formatNumber = (v: number | null | undefined) => (typeof v !== "number" ? "—" : String(Number(v.toPrecision(4))));
const value = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
const count = (view: SweepView, ...statuses: string[]) => view.trials.filter((t) => statuses.includes(t.status)).length;
const bestText = (view: SweepView) => (view.best ? `best ${view.best.metric}=${formatNumber(view.best.value)} (trial ${view.best.index + 1})` : `no ${view.metric} yet`);

/** `trials 1/3 done, 2 running, best test_accuracy=0.91 (trial 1)` */
export const describeSweep = (view: SweepView) =>
  `trials ${count(view, "succeeded", "failed", "cancelled")}/${view.trials.length} done, ${count(view, "running")} running, ${count(view, "queued")} queued, ${bestText(view)}`;

/** One row per trial: its values, status and the sweep's metric. */
const trialTable = (view: SweepView) =>
  table(
    ["TRIAL", ...view.parameters.map((p) => p.toUpperCase()), "STATUS", view.metric.toUpperCase(), "RUN"],
    view.trials.map((t) => [
      `${t.index + 1}${view.best?.index === t.index ? " *" : ""}`,
      ...view.parameters.map((p) => value(t.values[p])),
      t.status,
      formatNumber(t.metrics[view.metric]),
      t.runId ?? "—",
    ]),
  );

const summary = (view: SweepView) => [
  `Sweep ${view.sweep.id}: ${view.sweep.status}, ${describeSweep(view)}.`,
  ...trialTable(view),
  ...(view.best ? [`best: trial ${view.best.index + 1}, ${view.best.metric} = ${formatNumber(view.best.value)}, run ${view.best.runId}`] : []),
];

/** `gantry sweep --config FILE [--wait]`, `gantry sweep --job ID [--wait]`. */
export function addSweepCommands(program: Command, io: Io, withClient: WithClient) {
  program
    .command("sweep")
    .description("submit a hyperparameter sweep (grid or random search over a training spec); --wait follows it to the end")
    .option("--config <file>", 'a JSON sweep config: {"base": {training spec}, "parameters": {"learningRate": {"values": [0.01, 0.1]}}, "metric": "test_accuracy", …}')
    .option("--job <jobId>", "show an existing sweep instead (with --wait: follow it)")
    .option("--wait", "follow the sweep (trials done, best so far on stderr), then print its trials; exit 1 if it fails")
    .action((opts: { config?: string; job?: string; wait?: boolean }) =>
      withClient(async (client, json) => {
        if (!opts.config === !opts.job) throw new Error("sweep needs either --config <file> (a new sweep) or --job <jobId> (an existing one)");
        let jobId = opts.job ?? "";
        if (opts.config) {
          const job = await client.sweeps.submit((await readJsonObject(opts.config, "--config")) as SweepConfigInput);
          jobId = job.id;
          const total = job.progress.total ?? 0;
          const line = `Submitted sweep ${job.id} '${String(job.spec.name)}': ${total} trials, ${String(job.spec.concurrency)} at a time, best by ${String(job.spec.metric)} (${String(job.spec.goal)}).`;
          if (!opts.wait) {
            emit(io, json, job, () => [line, `Follow it: gantry sweep --job ${job.id} --wait`]);
            return;
          }
          if (!json) io.err(line);
        }
        if (!opts.wait) {
          const view = await client.sweeps.get(jobId);
          emit(io, json, view, () => summary(view));
          return;
        }
        const done = await client.sweeps.wait(jobId, { intervalMs: 500, onProgress: (view) => !json && io.err(describeSweep(view)) });
        emit(io, json, done, () => summary(done));
        if (done.sweep.status !== "succeeded") {
          if (!json) io.err(done.sweep.status === "failed" ? `error: sweep ${done.sweep.id} failed: ${done.sweep.error ?? "no message"}` : `error: sweep ${done.sweep.id} was cancelled`);
          process.exitCode = 1;
        }
      })(),
    );
}
