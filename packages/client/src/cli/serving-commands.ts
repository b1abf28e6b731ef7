import { readFile } from "node:fs/promises";

import type { Command } from "commander";

import type { GantryClient } from "../client";
import type { PredictRow } from "../predict";
import type { Io } from "./output";
import { emit } from "./output";
import { table } from "./table";
import type { PolicyFlags } from "./abtest-commands";
import { describeTest, policyTestInput } from "./abtest-commands";

type WithClient = (body: (client: GantryClient, json: boolean) => Promise<void>) => () => Promise<void>;

/** `NAME@ALIAS`, `NAME/VERSION` or a `models:/` URI, as the deploy service takes it. */
export function modelUriOf(raw: string): string {
  if (raw.startsWith("models:/")) return raw;
  if (/^[^@/\s]+@[^@/\s]+$/.test(raw) || /^[^@/\s]+\/\d+$/.test(raw)) return `models:/${raw}`;
  throw new Error(`--model must be NAME@ALIAS or NAME/VERSION (or a models:/ URI), got '${raw}'`);
}

/** Rows from the argument or the file: a list of rows, one row, or a TensorFlow Serving body `{"instances": […]}`. */
export function rowsOf(text: string, source: string): PredictRow[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && "instances" in value) value = (value as { instances: unknown }).instances;
  const rows = Array.isArray(value) ? value : [value];
  if (!rows.length || !rows.every((r) => r !== null && typeof r === "object" && !Array.isArray(r))) throw new Error(`${source} must be a JSON object (one row) or a list of objects keyed by input name`);
  return rows as PredictRow[];
}

const readInput = async (file: string) => (file === "-" ? await new Response(process.stdin as unknown as ReadableStream).text() : readFile(file, "utf8"));

/** `gantry deploy`, `gantry rollback`, `gantry predict`: the day-to-day serving verbs at the top level. */
export function addServingCommands(program: Command, io: Io, withClient: WithClient) {
  program
    .command("deploy <endpoint>")
    .description("serve a model version on an endpoint (a new revision; an alias is resolved and pinned now), or start an A/B test with --split, --canary or --shadow")
    .option("--model <model>", "NAME@ALIAS or NAME/VERSION")
    .option("--reason <text>", "why, kept with the revision")
    .option("--split <variants>", "weighted variants, the first is the control: NAME@champion=90,NAME@challenger=10")
    .option("--canary <model>", "ramp this version up against what the endpoint serves now")
    .option("--steps <percents>", "canary ramp (default 5,25,50,100)")
    .option("--every <duration>", "canary step length: 30s, 10m, 2h, or 500req (default 10m)")
    .option("--shadow <model>", "mirror traffic to this version (NAME@challenger=PERCENT, default 100), never answering with it")
    .option("--sticky-key <field>", "request field or header holding the unit id (besides x-unit-id and unit_id)")
    .option("--test-name <name>", "name of the A/B test (default: endpoint-kind-time)")
    .option("--metric <metric>", "primary metric: conversion, mean_reward, accuracy, log_loss, rmse (default conversion)")
    .option("--baseline <x>", "planning: the control's rate, or the metric's standard deviation (default 0.1)")
    .option("--mde <x>", "planning: the minimum detectable effect, relative for rates (default 0.1)")
    .option("--promote-alias <alias>", "alias moved to the winner on promotion")
    .option("--max-error-rate <x>", "canary guard: 5xx share that rolls back (default 0.05)")
    .option("--max-p99-ms <ms>", "canary guard: p99 latency that rolls back (default 250)")
    .action((endpoint: string, opts: PolicyFlags & { model?: string; reason?: string }) =>
      withClient(async (client, json) => {
        if (opts.split || opts.canary || opts.shadow) {
          if (opts.model) throw new Error("--model deploys one version; with --split, --canary or --shadow name the versions there");
          const test = await client.abtests.start(await policyTestInput(client, endpoint, opts));
          emit(io, json, test, () => [...describeTest(test), "", `Follow it with: gantry abtests get ${test.id}`]);
          return;
        }
        if (!opts.model) throw new Error("deploy needs --model NAME@ALIAS|NAME/VERSION (or --split, --canary, --shadow)");
        const e = await client.endpoints.deploy(endpoint, modelUriOf(opts.model), { reason: opts.reason });
        emit(io, json, e, () => [`${e.name} revision ${e.revision}: serving ${e.model}/${e.version}${e.via ? ` (@${e.via})` : ""}.`]);
      })(),
    );
  program
    .command("rollback <endpoint>")
    .description("a new revision serving what an earlier one served (default: the last one that served something else)")
    .option("--revision <n>", "the revision to go back to")
    .option("--reason <text>", "why, kept with the revision")
    .action((endpoint: string, opts: { revision?: string; reason?: string }) =>
      withClient(async (client, json) => {
        if (opts.revision !== undefined && !/^[1-9]\d*$/.test(opts.revision)) throw new Error(`--revision must be a positive integer, got '${opts.revision}'`);
        const e = await client.endpoints.rollback(endpoint, opts.revision === undefined ? undefined : Number(opts.revision), { reason: opts.reason });
        const back = e.revisions[0]?.rolledBackFrom;
        emit(io, json, e, () => [`${e.name} revision ${e.revision} (rollback to ${back ?? "?"}): serving ${e.model}/${e.version}.`]);
      })(),
    );
  program
    .command("predict <endpoint> [rows]")
    .description("rows (JSON: one object or a list, or {\"instances\": […]}) to an endpoint; `gantry predict E --json '[{…}]'` prints the whole answer")
    .option("--file <path>", "read the rows from a file ('-' for stdin)")
    .option("--unit-id <id>", "sticky assignment key for A/B policies")
    .option("--version <n>", "ask for this model version of the endpoint")
    .action((endpoint: string, raw: string | undefined, opts: { file?: string; unitId?: string; version?: string }) =>
      withClient(async (client, json) => {
        if ((raw === undefined) === (opts.file === undefined)) throw new Error("give the rows either as an argument or with --file");
        if (opts.version !== undefined && !/^[1-9]\d*$/.test(opts.version)) throw new Error(`--version must be a positive integer, got '${opts.version}'`);
        const rows = raw !== undefined ? rowsOf(raw, "the rows argument") : rowsOf(await readInput(opts.file as string), `--file ${opts.file}`);
        const answer = await client.predict(endpoint, rows, { unitId: opts.unitId, version: opts.version ? Number(opts.version) : undefined });
        emit(io, json, answer, () => [
          `${answer.model}/${answer.version} (variant ${answer.variant}, request ${answer.requestId})`,
          ...table(
            ["ROW", "PREDICTION"],
            answer.predictions.map((p, i) => {
              const c = p as { label?: unknown; probabilities?: unknown };
              return [String(i), typeof p === "object" && p !== null ? `${String(c.label)}  ${JSON.stringify(c.probabilities)}` : String(p)];
            }),
          ),
        ]);
      })(),
    );
}
