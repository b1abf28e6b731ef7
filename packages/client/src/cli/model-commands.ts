import type { Command } from "commander";

import type { ModelVersion } from "@gantry/schema/registry-contracts";

import type { GantryClient } from "../client";
import type { Io } from "./output";
import { readJsonObject } from "./json-file";
import { emit } from "./output";
import { table } from "./table";

type WithClient = (body: (client: GantryClient, json: boolean) => Promise<void>) => () => Promise<void>;

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16);
const metricsOf = (v: ModelVersion) =>
  Object.entries(v.metrics)
    .slice(0, 3)
    .map(([k, x]) => `${k}=${Number.isInteger(x) ? x : x.toFixed(4)}`)
    .join(" ");
const describeVersion = (v: ModelVersion) => [
  `model:    ${v.name} version ${v.version}${v.aliases.length ? `  @${v.aliases.join(" @")}` : ""}${v.archived ? "  (archived)" : ""}`,
  `status:   ${v.status}   created ${when(v.createdAt)} UTC`,
  `run:      ${v.sourceRunId ?? "— (deleted)"}`,
  `pipeline: sha256 ${v.pipelineSha256} (${v.pipelineSize} bytes)`,
  `inputs:   ${v.signature ? v.signature.inputs.map((i) => `${i.name}:${i.type}`).join(", ") : "—"}`,
  `metrics:  ${Object.entries(v.metrics).map(([k, x]) => `${k}=${x}`).join(" ") || "—"}`,
];
const positiveInt = (raw: string, what: string) => {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${what} must be a positive integer, got '${raw}'`);
  return Number(raw);
};

/** `gantry models list|versions|register|upload|alias|resolve`. */
export function addModelCommands(program: Command, io: Io, withClient: WithClient) {
  const models = program.command("models").description("the model registry: versions registered from runs or uploaded, aliases");
  models
    .command("list")
    .description("registered models of the key's org")
    .action(() =>
      withClient(async (client, json) => {
        const list = await client.models.list();
        emit(io, json, list, () =>
          table(
            ["NAME", "VERSIONS", "LATEST", "ALIASES", "UPDATED (UTC)"],
            list.map((m) => [m.name, String(m.versionCount), m.latestVersion === null ? "—" : String(m.latestVersion), m.aliases.map((a) => `${a.alias}→${a.version}`).join(" ") || "—", when(m.updatedAt)]),
          ),
        );
      })(),
    );
  models
    .command("versions <name>")
    .description("a model's versions, newest first")
    .action((name: string) =>
      withClient(async (client, json) => {
        const versions = await client.models.versions(name);
        emit(io, json, versions, () =>
          table(
            ["VERSION", "STATUS", "ALIASES", "CREATED (UTC)", "RUN", "METRICS"],
            versions.map((v) => [String(v.version) + (v.archived ? " (archived)" : ""), v.status, v.aliases.join(" ") || "—", when(v.createdAt), v.sourceRunId ?? "—", metricsOf(v) || "—"]),
          ),
        );
      })(),
    );
  models
    .command("register")
    .description("register a FINISHED run's model (model/pipeline.json) as the next version; the model is created when missing")
    .requiredOption("--run <runId>", "the run")
    .requiredOption("--name <name>", "the registered model")
    .option("--description <text>", "the version's description")
    .action((opts: { run: string; name: string; description?: string }) =>
      withClient(async (client, json) => {
        const v = await client.models.register({ name: opts.name, runId: opts.run, description: opts.description });
        emit(io, json, v, () => [`Registered ${v.name} version ${v.version} (models:/${v.name}/${v.version}) from run ${opts.run}.`]);
      })(),
    );
  models
    .command("upload")
    .description("register a TensorFlow.js LayersModel (model.json + weights of model.save()) as the next version; the model is created when missing")
    .requiredOption("--name <name>", "the registered model")
    .requiredOption("--model <file>", "the model.json (topology + weightsManifest)")
    .requiredOption("--weights <file>", "the weights: the manifest's .bin files concatenated in manifest order")
    .requiredOption("--signature <file>", 'JSON: {"inputs": [{"name", "type": "numeric|integer|boolean"}], "task", "labels"?}, inputs in the model\'s input order')
    .option("--description <text>", "the version's description")
    .action((opts: { name: string; model: string; weights: string; signature: string; description?: string }) =>
      withClient(async (client, json) => {
        const signature = await readJsonObject(opts.signature, "--signature");
        const v = await client.models.upload({ name: opts.name, modelJson: opts.model, weights: opts.weights, signature, description: opts.description });
        emit(io, json, v, () => [`Uploaded ${v.name} version ${v.version} (models:/${v.name}/${v.version}).`]);
      })(),
    );
  models
    .command("alias <name> <alias> <version>")
    .description("point an alias (champion, challenger, …) at a version; the move is recorded")
    .option("--reason <text>", "why, kept in the alias history")
    .action((name: string, alias: string, rawVersion: string, opts: { reason?: string }) =>
      withClient(async (client, json) => {
        const v = await client.models.setAlias({ name, alias, version: positiveInt(rawVersion, "version"), reason: opts.reason });
        emit(io, json, v, () => [`${name}@${alias} → version ${v.version}.`]);
      })(),
    );
  models
    .command("resolve <uri>")
    .description("the version a models:/NAME@ALIAS, models:/NAME/VERSION or models:/NAME/latest URI names")
    .action((uri: string) =>
      withClient(async (client, json) => {
        const v = await client.models.resolve(uri);
        emit(io, json, v, () => describeVersion(v));
      })(),
    );
}
