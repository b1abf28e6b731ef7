import type { Command } from "commander";

import type { GantryClient } from "../client";

import type { Io } from "./output";
import { emit } from "./output";
import { table } from "./table";

type WithClient = (body: (client: GantryClient, json: boolean) => Promise<void>) => () => Promise<void>;

const time = (ms: number | null) => (ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 19) : "—");

/** `gantry experiments …` and `gantry runs …`. */
export function addTrackingCommands(program: Command, io: Io, withClient: WithClient) {
  const experiments = program.command("experiments").description("experiments of the key's org");
  experiments
    .command("list")
    .description("list experiments")
    .option("--all", "include deleted ones")
    .option("--filter <filter>", "MLflow filter, e.g. \"name LIKE 'fraud%'\"")
    .action((opts: { all?: boolean; filter?: string }) =>
      withClient(async (client, json) => {
        const { experiments: list } = await client.api.experiment.list.query({ viewType: opts.all ? "ALL" : "ACTIVE_ONLY", filter: opts.filter, maxResults: 1000 });
        emit(io, json, list, () => table(["ID", "NAME", "STAGE", "CREATED"], list.map((e) => [e.id, e.name, e.lifecycleStage, time(e.creationTime)])));
      })(),
    );
  experiments
    .command("create <name>")
    .description("create an experiment")
    .action((name: string) =>
      withClient(async (client, json) => {
        const e = await client.api.experiment.create.mutate({ name });
        emit(io, json, e, () => [`Created experiment ${e.name} (${e.id}).`]);
      })(),
    );

  const runs = program.command("runs").description("runs of an experiment");
  runs
    .command("list")
    .description("search runs with MLflow's filter grammar")
    .requiredOption("--experiment <nameOrId>", "experiment name or id")
    .option("--filter <filter>", "e.g. \"metrics.auc > 0.9 and params.lr = '0.01'\"")
    .option("--order-by <clause...>", "e.g. \"metrics.auc DESC\"")
    .option("--max <n>", "how many runs", "50")
    .action((opts: { experiment: string; filter?: string; orderBy?: string[]; max: string }) =>
      withClient(async (client, json) => {
        const experimentId = await resolveExperimentForRead(client, opts.experiment);
        const result = await client.api.run.search.query({ experimentIds: [experimentId], filter: opts.filter, orderBy: opts.orderBy ?? [], maxResults: Number(opts.max) });
        const metricKeys = [...new Set(result.runs.flatMap((r) => r.data.metrics.map((m) => m.key)))].slice(0, 4);
        emit(io, json, result, () =>
          table(
            ["RUN ID", "NAME", "STATUS", "STARTED", ...metricKeys.map((k) => k.toUpperCase())],
            result.runs.map((r) => [r.info.id, r.info.name, r.info.status, time(r.info.startTime), ...metricKeys.map((k) => fmt(r.data.metrics.find((m) => m.key === k)?.value))]),
          ),
        );
      })(),
    );
  runs
    .command("get <runId>")
    .description("a run's params, metrics and tags")
    .action((runId: string) =>
      withClient(async (client, json) => {
        const r = await client.api.run.get.query({ runId });
        emit(io, json, r, () => [
          `run:      ${r.info.name} (${r.info.id})`,
          `status:   ${r.info.status}   started ${time(r.info.startTime)}   ended ${time(r.info.endTime)}`,
          `artifacts: ${r.info.artifactUri}`,
          "params:",
          ...r.data.params.map((p) => `  ${p.key} = ${p.value}`),
          "metrics (latest):",
          ...r.data.metrics.map((m) => `  ${m.key} = ${fmt(m.value)} (step ${m.step})`),
          "tags:",
          ...r.data.tags.filter((t) => !t.key.startsWith("mlflow.")).map((t) => `  ${t.key} = ${t.value}`),
        ]);
      })(),
    );
}

const fmt = (v: number | undefined) => (v === undefined ? "—" : Number.isInteger(v) ? String(v) : v.toPrecision(4));

/** Reading never creates: a name that does not exist is an error. */
async function resolveExperimentForRead(client: GantryClient, nameOrId: string): Promise<string> {
  const byName = await client.api.experiment.list.query({ filter: `name = '${nameOrId.replace(/'/g, "''")}'`, viewType: "ALL", maxResults: 1 });
  if (byName.experiments[0]) return byName.experiments[0].id;
  return (await client.api.experiment.get.query({ experimentId: nameOrId })).id;
}

