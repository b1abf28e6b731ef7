import type { Command } from "commander";

import type { AbTest, AbTestResults, StartAbTestInput } from "@gantry/schema/abtest-contracts";

import type { GantryClient } from "../client";
import type { Io } from "./output";
import { emit } from "./output";
import { simulateAbTraffic } from "../simulate";
import { modelUriOf } from "./serving-commands";
import { table } from "./table";

type WithClient = (body: (client: GantryClient, json: boolean) => Promise<void>) => () => Promise<void>;

const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null | undefined) => (x === null || x === undefined ? "—" : Number(x.toPrecision(4)).toString());

/** `NAME@ALIAS=90,NAME/3=10` → variants with weights. */
export function parseWeighted(raw: string, flag: string): { model: string; weight: number }[] {
  return raw.split(",").map((part) => {
    const m = /^(.+)=(\d+(?:\.\d+)?)$/.exec(part.trim());
    if (!m) throw new Error(`${flag} takes MODEL=PERCENT pairs separated by commas (e.g. fraud@champion=90,fraud@challenger=10), got '${part}'`);
    return { model: modelUriOf(m[1] as string), weight: Number(m[2]) };
  });
}

/** `10m`, `2h`, `30s` → minutes; `500req` → requests. */
export function parseEvery(raw: string): { everyMinutes?: number; everyRequests?: number } {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|req)$/.exec(raw.trim());
  if (!m) throw new Error(`--every takes a duration (30s, 10m, 2h) or a request count (500req), got '${raw}'`);
  const n = Number(m[1]);
  return m[2] === "req" ? { everyRequests: Math.round(n) } : { everyMinutes: m[2] === "s" ? n / 60 : m[2] === "h" ? n * 60 : n };
}

export type PolicyFlags = {
  split?: string;
  canary?: string;
  shadow?: string;
  steps?: string;
  every?: string;
  stickyKey?: string;
  testName?: string;
  metric?: string;
  baseline?: string;
  mde?: string;
  promoteAlias?: string;
  maxErrorRate?: string;
  maxP99Ms?: string;
};

const number = (raw: string | undefined, flag: string) => {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${flag} must be a number, got '${raw}'`);
  return n;
};

/** The A/B test a `gantry deploy --split|--canary|--shadow` starts; the control of a canary or shadow is what the endpoint serves now. */
export async function policyTestInput(client: GantryClient, endpoint: string, flags: PolicyFlags): Promise<StartAbTestInput> {
  const chosen = [flags.split, flags.canary, flags.shadow].filter((f) => f !== undefined);
  if (chosen.length !== 1) throw new Error("choose one of --split, --canary or --shadow");
  const kind = flags.split ? "split" : flags.canary ? "canary" : "shadow";
  const common = {
    endpoint,
    name: flags.testName ?? `${endpoint}-${kind}-${new Date().toISOString().slice(0, 16).replace(/[-:T]/g, "")}`,
    kind,
    primaryMetric: (flags.metric ?? "conversion") as StartAbTestInput["primaryMetric"],
    plan: { baseline: number(flags.baseline, "--baseline") ?? 0.1, minimumDetectableEffect: number(flags.mde, "--mde") ?? 0.1 },
    ...(flags.promoteAlias ? { promoteAlias: flags.promoteAlias } : {}),
    ...(flags.stickyKey ? { stickyKey: flags.stickyKey } : {}),
  } as const;
  if (flags.split) return { ...common, variants: parseWeighted(flags.split, "--split") };
  const current = await client.endpoints.get(endpoint);
  if (current.model === null || current.version === null) throw new Error(`endpoint ${endpoint} serves nothing yet: deploy a model first, it becomes the control`);
  const control = { model: `models:/${current.model}/${current.version}` };
  if (flags.shadow) {
    const [target] = /=/.test(flags.shadow) ? parseWeighted(flags.shadow, "--shadow") : [{ model: modelUriOf(flags.shadow), weight: 100 }];
    return { ...common, variants: [control, { model: target?.model ?? "" }], shadow: { mirrorPercent: target?.weight ?? 100 } };
  }
  const steps = flags.steps?.split(",").map((s) => number(s, "--steps") ?? 0) ?? [5, 25, 50, 100];
  return {
    ...common,
    variants: [control, { model: modelUriOf(flags.canary as string) }],
    canary: { steps, ...parseEvery(flags.every ?? "10m"), maxErrorRate: number(flags.maxErrorRate, "--max-error-rate") ?? 0.05, maxP99Ms: number(flags.maxP99Ms, "--max-p99-ms") ?? 250 },
  };
}

const describeTest = (t: AbTest) => [
  `A/B test ${t.name} (${t.id})  ${t.kind}, ${t.status} on endpoint ${t.endpoint}`,
  `metric: ${t.primaryMetric}; planned ${t.plan.unitsPerVariant} units per variant (baseline ${t.plan.baseline}, MDE ${t.plan.minimumDetectableEffect}, α ${t.plan.alpha}, power ${t.plan.power})`,
  ...(t.hypothesis ? [`hypothesis: ${t.hypothesis}`] : []),
  ...(t.decision ? [`decision: ${t.decision} (by ${t.decidedBy ?? "?"})`] : []),
  ...table(["VARIANT", "MODEL", "WEIGHT"], t.variants.map((v) => [v.name, `${v.model}/${v.version}`, `${v.weight}%`])),
];

const describeResults = (r: AbTestResults) => [
  `${r.test.name}: ${r.verdict.sentence}`,
  ...(r.srm ? [`SRM: χ² ${num(r.srm.chi2)}, p ${num(r.srm.pValue)}${r.srm.flagged ? "  ← MISMATCH" : " (healthy)"}`] : []),
  ...table(
    ["VARIANT", "UNITS", r.metric.toUpperCase(), "LIFT", "CI", "P", "SEQ P", "P(BETTER)"],
    r.variants.map((v) => [
      v.name + (v.control ? " (control)" : ""),
      String(v.units),
      r.metric === "conversion" || r.metric === "accuracy" ? pct(v.mean) : num(v.mean),
      v.relative ? pct(v.relative.effect) : num(v.absolute?.effect),
      v.relative ? `[${pct(v.relative.ci[0])}, ${pct(v.relative.ci[1])}]` : v.absolute ? `[${num(v.absolute.ci[0])}, ${num(v.absolute.ci[1])}]` : "—",
      num(v.pValue),
      num(v.sequentialPValue),
      pct(v.chanceToBeatControl),
    ]),
  ),
];

/** `--lift treatment=0.1,b=-0.05` */
export function parseLift(raw: string | undefined): Record<string, number> {
  if (!raw) return {};
  return Object.fromEntries(
    raw.split(",").map((part) => {
      const m = /^([a-z0-9][a-z0-9_-]*)=(-?\d+(?:\.\d+)?)$/.exec(part.trim());
      if (!m) throw new Error(`--lift takes VARIANT=RELATIVE_LIFT pairs (e.g. treatment=0.1), got '${part}'`);
      return [m[1] as string, Number(m[2])];
    }),
  );
}

/** `gantry abtests list|get|promote|stop` and `gantry simulate`. */
export function addAbTestCommands(program: Command, io: Io, withClient: WithClient) {
  program
    .command("simulate <endpoint>")
    .description("drive an endpoint with synthetic users who convert at baseline × (1 + lift of their variant), and send their outcomes as feedback")
    .option("--users <n>", "how many users (one prediction each, each its own unit id)", "1000")
    .option("--baseline <p>", "conversion probability with no lift", "0.1")
    .option("--lift <pairs>", "relative lift per variant: treatment=0.1[,other=-0.05]")
    .option("--seed <n>", "replay the same users", "1")
    .option("--concurrency <n>", "users in flight at once", "8")
    .option("--row <json>", "the input row to send (default: one made from the served version's signature)")
    .action((endpoint: string, opts: { users: string; baseline: string; lift?: string; seed: string; concurrency: string; row?: string }) =>
      withClient(async (client, json) => {
        const users = Number(opts.users);
        const row = opts.row === undefined ? undefined : (JSON.parse(opts.row) as Record<string, string | number | boolean | null>);
        let shown = -1;
        const report = await simulateAbTraffic(client, {
          endpoint,
          users,
          baseline: Number(opts.baseline),
          lift: parseLift(opts.lift),
          seed: Number(opts.seed),
          concurrency: Number(opts.concurrency),
          row,
          onProgress: (done, total) => {
            const tenth = Math.floor((done / total) * 10);
            if (tenth !== shown) {
              shown = tenth;
              io.err(`simulate: ${done}/${total} users`);
            }
          },
        });
        // Every request failing is an error (a wrong key scope, a paused endpoint), not a result.
        if (report.failed === report.users) throw new Error(`every request failed; the first: ${report.firstError ?? "?"}`);
        emit(io, json, report, () => [
          `${report.users} users${report.failed ? `, ${report.failed} failed (first: ${report.firstError})` : ""}:`,
          ...table(["VARIANT", "USERS", "CONVERSIONS", "RATE"], Object.entries(report.byVariant).map(([v, t]) => [v, String(t.users), String(t.conversions), pct(t.users ? t.conversions / t.users : null)])),
        ]);
      })(),
    );
  const abtests = program.command("abtests").description("A/B tests, canaries, shadow traffic and bandits");
  abtests
    .command("list")
    .option("--endpoint <name>", "only this endpoint's")
    .action((opts: { endpoint?: string }) =>
      withClient(async (client, json) => {
        const list = await client.abtests.list({ endpoint: opts.endpoint });
        emit(io, json, list, () => table(["ID", "NAME", "ENDPOINT", "KIND", "STATUS", "STARTED (UTC)"], list.map((t) => [t.id, t.name, t.endpoint, t.kind, t.status, t.startedAt.toISOString().slice(0, 16).replace("T", " ")])));
      })(),
    );
  abtests
    .command("get <id>")
    .description("the test, and its results with the verdict")
    .action((id: string) =>
      withClient(async (client, json) => {
        const results = await client.abtests.results(id);
        emit(io, json, results, () => [...describeTest(results.test), "", ...describeResults(results)]);
      })(),
    );
  abtests
    .command("promote <id>")
    .description("the variant (default: the best so far) takes all traffic; the test's alias moves to it")
    .option("--variant <name>", "the winner")
    .option("--reason <text>", "why")
    .action((id: string, opts: { variant?: string; reason?: string }) =>
      withClient(async (client, json) => {
        const t = await client.abtests.promote(id, opts);
        emit(io, json, t, () => [`Promoted: ${t.decision ?? ""}.`]);
      })(),
    );
  abtests
    .command("stop <id>")
    .description("end the test: the control takes all traffic back")
    .option("--reason <text>", "why")
    .action((id: string, opts: { reason?: string }) =>
      withClient(async (client, json) => {
        const t = await client.abtests.stop(id, opts);
        emit(io, json, t, () => [`Stopped: ${t.decision ?? ""}.`]);
      })(),
    );
}

export { describeTest };
