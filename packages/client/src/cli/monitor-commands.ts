import type { Command } from "commander";

import type { Monitor } from "@gantry/schema/monitoring-contracts";

import type { GantryClient } from "../client";
import { toGantryApiError } from "../client";
import type { Io } from "./output";
import { emit } from "./output";
import { table } from "./table";

type WithClient = (body: (client: GantryClient, json: boolean) => Promise<void>) => () => Promise<void>;

const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 16) : "—");
const num = (raw: string | undefined, flag: string) => {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${flag} must be a number, got '${raw}'`);
  return n;
};
const call = <T>(p: Promise<T>) => p.catch((error: unknown) => Promise.reject(toGantryApiError(error)));

const describeMonitor = (m: Monitor) => {
  const last = m.recent[0];
  return [
    `monitor ${m.name} (${m.id})  ${m.kind} on ${m.endpoint}, every ${m.config.everyMinutes} min over ${m.config.windowMinutes} min${m.config.baseline === "trailing" ? ` vs the ${m.config.baselineMinutes} min before` : ""}${m.enabled ? "" : ", disabled"}`,
    last ? `last: ${last.status} at ${when(last.evaluatedAt)} UTC, ${last.rows} rows` : "not evaluated yet",
    ...(last?.findings.length
      ? table(
          ["CHECK", "TEST", "VALUE", "THRESHOLD", "FLAGGED"],
          last.findings.map((f) => [f.name, f.test, f.statistic === null ? "—" : Number(f.statistic.toPrecision(4)).toString(), String(f.threshold), f.flagged ? "yes" : ""]),
        )
      : []),
  ];
};

/** `gantry monitors list|create|run`, `gantry alerts list|ack`. */
export function addMonitorCommands(program: Command, io: Io, withClient: WithClient) {
  const monitors = program.command("monitors").description("drift and service monitors of endpoints");
  monitors
    .command("list")
    .option("--endpoint <name>", "only this endpoint's")
    .action((opts: { endpoint?: string }) =>
      withClient(async (client, json) => {
        const list = await call(client.api.monitor.list.query({ endpoint: opts.endpoint }));
        emit(io, json, list, () => table(["ID", "NAME", "ENDPOINT", "KIND", "LAST", "STATUS"], list.map((m) => [m.id, m.name, m.endpoint, m.kind, when(m.lastEvaluatedAt), m.recent[0]?.status ?? "—"])));
      })(),
    );
  monitors
    .command("create <endpoint> <name>")
    .description("watch an endpoint: --kind data_drift (default) | prediction_drift | performance | service")
    .option("--kind <kind>", "data_drift, prediction_drift, performance or service", "data_drift")
    .option("--window <minutes>", "window evaluated (default 60)")
    .option("--every <minutes>", "how often (default 5)")
    .option("--features <a,b>", "drift: only these features")
    .option("--baseline <minutes>", "drift: compare with the endpoint's own traffic of this many minutes before the window (default: the training reference)")
    .option("--max-p99-ms <ms>", "service: p99 latency threshold")
    .option("--max-error-rate <x>", "service: 5xx share threshold (0-1)")
    .option("--min-requests <n>", "service: traffic drop threshold per window")
    .option("--severity <s>", "info, warning or critical", "warning")
    .action((endpoint: string, name: string, opts: Record<string, string | undefined>) =>
      withClient(async (client, json) => {
        const config = {
          windowMinutes: num(opts.window, "--window") ?? 60,
          everyMinutes: num(opts.every, "--every") ?? 5,
          minRows: 100,
          driftShare: 0.5,
          distanceThreshold: 0.1,
          ...(opts.features ? { features: opts.features.split(",") } : {}),
          ...(opts.baseline ? { baseline: "trailing" as const, baselineMinutes: num(opts.baseline, "--baseline") } : {}),
          ...(opts.maxP99Ms ? { maxP99Ms: num(opts.maxP99Ms, "--max-p99-ms") } : {}),
          ...(opts.maxErrorRate ? { maxErrorRate: num(opts.maxErrorRate, "--max-error-rate") } : {}),
          ...(opts.minRequests ? { minRequests: num(opts.minRequests, "--min-requests") } : {}),
        };
        const m = await call(client.api.monitor.create.mutate({ endpoint, name, kind: opts.kind as Monitor["kind"], severity: opts.severity as Monitor["severity"], config }));
        emit(io, json, m, () => describeMonitor(m));
      })(),
    );
  monitors
    .command("run <id>")
    .description("evaluate now and show the findings")
    .action((id: string) =>
      withClient(async (client, json) => {
        const m = await call(client.api.monitor.run.mutate({ id }));
        emit(io, json, m, () => describeMonitor(m));
      })(),
    );
  const alerts = program.command("alerts").description("alerts raised by monitors and canaries");
  alerts
    .command("list")
    .option("--firing", "only those still firing")
    .action((opts: { firing?: boolean }) =>
      withClient(async (client, json) => {
        const list = await call(client.api.alert.list.query(opts.firing ? { status: "firing" } : {}));
        emit(io, json, list, () => table(["ID", "SEVERITY", "STATUS", "FIRED (UTC)", "TITLE"], list.map((a) => [a.id, a.severity, a.status + (a.acknowledgedAt ? " (ack)" : ""), when(a.firedAt), a.title])));
      })(),
    );
  alerts
    .command("ack <id>")
    .description("acknowledge: it keeps firing until resolved, marked as seen by you")
    .action((id: string) =>
      withClient(async (client, json) => {
        const a = await call(client.api.alert.acknowledge.mutate({ id }));
        emit(io, json, a, () => [`Acknowledged: ${a.title}`]);
      })(),
    );
}

/** `gantry retrain-policies list | get ID | run ID`: the automation and its timeline. */
export function addRetrainCommands(program: Command, io: Io, withClient: WithClient) {
  const retrain = program.command("retrain-policies").description("retraining policies and their runs (trigger → training → gate → canary → promotion)");
  retrain.command("list").action(() =>
    withClient(async (client, json) => {
      const list = await call(client.api.retrain.list.query());
      emit(io, json, list, () => table(["ID", "NAME", "MODEL", "ENDPOINT", "TRIGGERS", "LAST RUN"], list.map((p) => [p.id, p.name, p.model, p.endpoint, p.triggers.join(","), p.runs[0] ? `${p.runs[0].status} (${when(p.runs[0].createdAt)})` : "—"])));
    })(),
  );
  retrain
    .command("get <id>")
    .description("the policy and its newest run's timeline")
    .action((id: string) =>
      withClient(async (client, json) => {
        const p = await call(client.api.retrain.get.query({ id }));
        const run = p.runs[0];
        emit(io, json, p, () => [
          `policy ${p.name}: retrain ${p.model} for ${p.endpoint} on ${p.triggers.join(", ")}; gate ${p.gate.metric} ${p.gate.direction === "higher" ? "≥" : "≤"} champion ${p.gate.direction === "higher" ? "+" : "−"} ${p.gate.margin}; canary ${p.rollout.steps.join(" → ")}%; cool-down ${p.cooldownMinutes} min${p.productionRows.enabled ? `; adds labelled production rows of the last ${p.productionRows.days} days` : ""}`,
          ...(run ? [`run ${run.id}: ${run.status}`, ...run.timeline.map((e) => `  ${e.at.slice(0, 19).replace("T", " ")}  ${e.step.padEnd(11)} ${e.message}`)] : ["no run yet"]),
        ]);
      })(),
    );
  retrain
    .command("run <id>")
    .description("start a run now (refused, with the reason, while one is in flight or cooling down)")
    .action((id: string) =>
      withClient(async (client, json) => {
        const r = await call(client.api.retrain.run.mutate({ id }));
        emit(io, json, r, () => [r.started ? `Started run ${r.started.id}: training job ${r.started.jobId}.` : `Not started: ${r.reason ?? "?"}`]);
      })(),
    );
}
