/**
 * Monitoring: one data-drift evaluation (`evaluateMonitor`, the real service: the served version's
 * reference profile, ONE set-based pass over the window's prediction log binning every feature,
 * the tests per feature, the result row) over 1,000,000 logged predictions with 20 features,
 * against the limit measured in the same run: one sequential scan of the same rows reading each
 * row's `features` once. Medians of 3; aim ≤ 3×.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { createArtifactStore } from "@gantry/api/artifacts";
import { createMonitor, evaluateMonitor } from "@gantry/api/monitoring";
import { registerVersionFromRun } from "@gantry/api/registry";
import { createEndpoint, deploy, ensurePredictionPartitions } from "@gantry/api/serving";
import { createExperiment, createRun, putRunArtifact, updateRun } from "@gantry/api/tracking";
import { eq } from "@gantry/db";
import type { Cell, DistributionProfile, ReferenceProfile } from "@gantry/ml";
import { profileDistribution } from "@gantry/ml";
import type { MonitorFinding } from "@gantry/schema";
import { monitorResults, monitors } from "@gantry/schema";

import { scratchDatabase } from "./lib/database";
import { benchOrg } from "./lib/fixture";
import { fmt, timeIt } from "./lib/stats";

const ROWS = Number(process.env.BENCH_MONITOR_ROWS ?? 1_000_000);
const REFERENCE_ROWS = Number(process.env.BENCH_MONITOR_REFERENCE_ROWS ?? 5_000);
const REPEATS = 3;
const AIM = 3;

const ENDPOINT = "scorer";
const MODEL = "scorer";

/*
 * 20 features: 14 numeric (normal, each its own mean and scale; `n13` missing 5% of the time) and
 * 6 categorical (5–8 categories, skewed: category i of k with probability ≈ the share of u² in
 * [i/k, (i+1)/k)). Traffic is drawn from the same laws in SQL, except the drifted ones: n0–n3
 * shifted by one standard deviation, n4 twice as wide, c0 with a fifth of its values a new category.
 */
const NUMERIC = Array.from({ length: 14 }, (_, i) => ({ name: `n${i}`, mean: 10 * i, sd: 1 + i / 2 }));
const CATEGORICAL = Array.from({ length: 6 }, (_, i) => ({ name: `c${i}`, categories: Array.from({ length: 5 + (i % 4) }, (_, k) => `cat${i}_${k}`) }));
const MISSING_FEATURE = "n13";
const MISSING_SHARE = 0.05;
const DRIFTED = ["n0", "n1", "n2", "n3", "n4", "c0"];

export async function benchMonitoring() {
  const db = await scratchDatabase();
  const artifactDir = await mkdtemp(path.join(tmpdir(), "gantry-bench-monitoring-"));
  const store = createArtifactStore({ root: artifactDir });
  try {
    // 1. An org; a version whose run holds a reference profile built as training builds it (profileDistribution per feature).
    const { ctx } = await benchOrg(db.db);
    const reference = referenceProfile(REFERENCE_ROWS);
    const experiment = await createExperiment(ctx, { name: "bench monitoring" });
    const run = await createRun(ctx, { experimentId: experiment.id, name: "scorer" });
    const runId = run.info.id;
    const signature = {
      inputs: [...NUMERIC.map((f) => ({ name: f.name, type: "numeric", required: f.name !== MISSING_FEATURE })), ...CATEGORICAL.map((f) => ({ name: f.name, type: "categorical", categories: f.categories }))],
      task: "binary",
      target: "label",
      labels: ["no", "yes"],
    };
    // Nothing predicts here: the pipeline is a placeholder, as the API's tests register one.
    for (const [file, text] of Object.entries({ "model/pipeline.json": `{"format":"fake","run":"${runId}"}`, "model/signature.json": JSON.stringify(signature), "reference_profile.json": JSON.stringify(reference) })) {
      await putRunArtifact(ctx, { runId, path: file, body: chunks(text), contentType: "application/json", store, maxBytes: 64 << 20 });
    }
    await updateRun(ctx, runId, { status: "FINISHED" });
    const version = await registerVersionFromRun(ctx, store, { name: MODEL, runId });
    const endpoint = await createEndpoint(ctx, { name: ENDPOINT, description: "monitoring benchmark" });
    await deploy(ctx, ENDPOINT, { model: `models:/${MODEL}/1` });
    const [served] = await db.sql<{ revision: number; variant: string }[]>`
      select r.revision, r.policy->'variants'->0->>'name' as variant from endpoints e join deployment_revisions r on r.id = e.current_revision_id where e.id = ${endpoint.id}`;
    if (!served) throw new Error("nothing deployed");

    // 2. The log: ROWS predictions within the hour before `now`, in one insert … select (setup, not measured).
    const now = new Date();
    const start = new Date(now.getTime() - 60 * 60_000);
    await ensurePredictionPartitions(db.db, { from: start, days: 2 });
    const [loadMs] = await timeIt(() => db.sql.unsafe(loadStatement(), [ROWS, now.toISOString(), ctx.orgId, endpoint.id, served.revision, served.variant, version.id]));
    await db.sql`vacuum analyze prediction_log`;
    const [size] = await db.sql<{ bytes: string; features: string }[]>`
      select sum(pg_total_relation_size(i.inhrelid))::text as bytes, (select avg(pg_column_size(features))::int::text from prediction_log) as features
        from pg_inherits i where i.inhparent = 'prediction_log'::regclass`;
    console.log(
      `\nmonitoring: ${fmt(ROWS, 0)} logged predictions × ${NUMERIC.length + CATEGORICAL.length} features (${NUMERIC.length} numeric, ${CATEGORICAL.length} categorical) loaded in ${fmt(loadMs / 1000, 1)} s; ` +
        `partitions ${fmt(Number(size?.bytes ?? 0) / 2 ** 20, 0)} MiB with its indexes, features ${size?.features ?? "?"} bytes a row; reference profile of ${fmt(REFERENCE_ROWS, 0)} rows`,
    );

    // BENCH_MONITOR_EXPLAIN=1: the plan of the evaluation's query, EXPLAIN ANALYZE'd (the very statement window.ts
    // builds, sent through an executor that prefixes it; the monitor's result is not touched).
    if (process.env.BENCH_MONITOR_EXPLAIN) {
      const { windowBinCounts } = await import("../packages/api/src/monitoring/window");
      const { binSpecOf, featurePath } = await import("../packages/api/src/monitoring/drift");
      const { sql } = await import("@gantry/db");
      const specs = Object.entries(reference.features).map(([name, p]) => binSpecOf(name, p, featurePath(name)));
      const explaining = {
        execute: async (query: ReturnType<typeof sql>) => {
          const plan = (await db.db.execute(sql`explain (analyze, buffers) ${query}`)) as unknown as Record<string, string>[];
          console.log(plan.map((line) => Object.values(line)[0]).join("\n"));
          return [];
        },
      };
      await windowBinCounts(explaining as never, { endpointId: endpoint.id, start, end: now, variants: [served.variant], specs });
    }
    // 3. The monitor, evaluated by the real service (the window covers every row).
    const created = await createMonitor(ctx, { endpoint: ENDPOINT, name: "inputs", kind: "data_drift", config: { windowMinutes: 61, everyMinutes: 5, minRows: 100, driftShare: 0.25, distanceThreshold: 0.1 } });
    const [monitor] = await db.db.select().from(monitors).where(eq(monitors.id, created.id));
    if (!monitor) throw new Error("monitor not created");
    const windowStart = new Date(now.getTime() - monitor.config.windowMinutes * 60_000);
    const evaluations: number[] = [];
    let outcome: { resultId: string; status: string } = { resultId: "", status: "" };
    for (let i = 0; i < REPEATS; i++) {
      const [ms, result] = await timeIt(() => evaluateMonitor(db.db, store, monitor, now));
      evaluations.push(ms);
      outcome = result;
    }

    // 4. The limit: one sequential scan of the same rows (the evaluation's own filter) reading each row's features once:
    // `features::text` reads (and prints) every key and value. A bare scan, `pg_column_size(features)` (the datum's
    // header only: 411-byte documents are stored inline, uncompressed, nothing to detoast), is printed for scale.
    const scope = db.sql`l.endpoint_id = ${endpoint.id} and l.created_at >= ${windowStart.toISOString()}::timestamptz and l.created_at < ${now.toISOString()}::timestamptz
         and l.status = 200 and l.variant = any(${[served.variant]}::text[])`;
    const limits = {
      text: { label: "count(*) + sum(length(features::text))", query: () => db.sql<{ n: number }[]>`select count(*)::int as n, sum(length(l.features::text)) as s from prediction_log l where ${scope}` },
      bare: { label: "count(*) + sum(pg_column_size(features))", query: () => db.sql<{ n: number }[]>`select count(*)::int as n, sum(pg_column_size(l.features)) as s from prediction_log l where ${scope}` },
    };
    const scans: Record<keyof typeof limits, number[]> = { text: [], bare: [] };
    let scanned = 0;
    for (let i = 0; i < REPEATS; i++) {
      for (const key of ["text", "bare"] as const) {
        const [ms, [row]] = await timeIt(limits[key].query);
        scans[key].push(ms);
        scanned = row?.n ?? 0;
      }
    }

    const [result] = await db.db.select().from(monitorResults).where(eq(monitorResults.id, outcome.resultId));
    const findings = (result?.findings ?? []) as MonitorFinding[];
    const evalMs = median(evaluations);
    const scanMs = median(scans.text);
    const bareMs = median(scans.bare);
    const ratio = evalMs / scanMs;
    const line = (label: string, ms: number, runs: number[]) => `${label.padEnd(62)} ${fmt(ms, 0).padStart(6)} ms   ${fmt((ROWS / ms) * 1000, 0).padStart(10)} rows/s   (runs: ${runs.map((t) => fmt(t, 0)).join(", ")} ms)`;
    console.log(`\n## monitoring: data-drift evaluation of ${fmt(result?.rows ?? 0, 0)} logged predictions × ${findings.length} features vs one sequential scan of the same rows (medians of ${REPEATS})`);
    console.log(line("evaluateMonitor (one pass, every feature binned, tests, result)", evalMs, evaluations));
    console.log(line(`limit: seq scan, ${limits.text.label}`, scanMs, scans.text));
    console.log(line(`for scale: bare seq scan, ${limits.bare.label}`, bareMs, scans.bare));
    console.log(`ratio: ${fmt(ratio, 2)}× the limit (aim ≤ ${AIM}×: ${ratio <= AIM ? "met" : "NOT met"}); ${fmt(evalMs / bareMs, 1)}× the bare scan; ${fmt(scanned, 0)} rows scanned`);
    console.log(`result: status ${outcome.status}, ${fmt(result?.rows ?? 0, 0)} rows, score ${JSON.stringify(result?.score)}`);
    for (const f of findings) {
      if (!f.flagged && !DRIFTED.includes(f.name) && !["n5", "c1", MISSING_FEATURE].includes(f.name)) continue;
      console.log(`  ${f.name.padEnd(4)} ${f.test.padEnd(18)} ${f.statistic === null ? "-" : f.statistic.toFixed(4)} (threshold ${f.threshold}) ${f.flagged ? "DRIFT" : "ok"}${f.note ? `; ${f.note}` : ""}`);
    }
    const problems: string[] = [];
    if (result?.rows !== ROWS || scanned !== ROWS) problems.push(`the evaluation counted ${result?.rows} rows and the scan ${scanned}, not ${ROWS}`);
    const flagged = findings.filter((f) => f.flagged).map((f) => f.name);
    if (flagged.sort().join() !== [...DRIFTED].sort().join()) problems.push(`flagged ${flagged.join(", ") || "nothing"}, expected ${DRIFTED.join(", ")}`);
    if (problems.length) {
      console.log(`!!! MONITORING CHECK FAILED: ${problems.join("; ")}`);
      process.exitCode = 1;
    } else {
      console.log(`  check: OK (every row counted; exactly the drifted features ${DRIFTED.join(", ")} flagged)`);
    }
  } finally {
    await db.dispose();
    await rm(artifactDir, { recursive: true, force: true });
  }
}

/** The reference: REFERENCE_ROWS rows drawn from the undrifted laws, profiled per feature as training profiles its holdout. */
function referenceProfile(rows: number): ReferenceProfile {
  let seed = 11;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const normal = () => Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand());
  const features: Record<string, DistributionProfile> = {};
  for (const f of NUMERIC) {
    const values: Cell[] = Array.from({ length: rows }, () => (f.name === MISSING_FEATURE && rand() < MISSING_SHARE ? null : Math.round((f.mean + f.sd * normal()) * 1000) / 1000));
    features[f.name] = profileDistribution(values, { kind: "numeric" });
  }
  for (const f of CATEGORICAL) {
    const values: Cell[] = Array.from({ length: rows }, () => f.categories[Math.floor(rand() ** 2 * f.categories.length)] ?? null);
    features[f.name] = profileDistribution(values, { kind: "categorical" });
  }
  const scores = Array.from({ length: rows }, () => rand());
  return { rows, features, predictions: { score: profileDistribution(scores, { kind: "numeric" }), label: profileDistribution(scores.map((s) => (s >= 0.5 ? "yes" : "no")), { kind: "categorical" }) } };
}

/** `insert … select from generate_series`: $1 rows, $2 now, $3 org, $4 endpoint, $5 revision, $6 variant, $7 version. */
function loadStatement(): string {
  const numeric = NUMERIC.map((f) => {
    const shift = ["n0", "n1", "n2", "n3"].includes(f.name) ? f.sd : 0;
    const sd = f.name === "n4" ? 2 * f.sd : f.sd;
    // Box–Muller (random_normal needs PostgreSQL 16; the app supports 15).
    const value = `round((${f.mean + shift} + ${sd} * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))::numeric, 3)`;
    return `'${f.name}', ${f.name === MISSING_FEATURE ? `case when random() < ${MISSING_SHARE} then null else ${value} end` : value}`;
  });
  const categorical = CATEGORICAL.map((f) => {
    const pick = `(array[${f.categories.map((c) => `'${c}'`).join(",")}])[1 + floor(random() ^ 2 * ${f.categories.length})::int]`;
    return `'${f.name}', ${f.name === "c0" ? `case when random() < 0.2 then 'new_${f.name}' else ${pick} end` : pick}`;
  });
  return `
    insert into prediction_log (created_at, request_id, row_index, org_id, endpoint_id, revision, variant, model_version_id, features, outputs, latency_ms, status)
    select $2::timestamptz - (g * (3600.0 / ($1::int + 1))) * interval '1 second', 'bench-' || g, 0, $3::uuid, $4::uuid, $5::int, $6, $7::uuid,
           jsonb_build_object(${[...numeric, ...categorical].join(", ")}),
           jsonb_build_object('label', case when s >= 0.5 then 'yes' else 'no' end, 'probabilities', jsonb_build_array(round((1 - s)::numeric, 4), round(s::numeric, 4))),
           1.5, 200
      from generate_series(1, $1::int) g, lateral (select random() + 0 * g as s) p`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? Number.NaN) + (s[mid] ?? Number.NaN)) / 2;
}

const chunks = (text: string) =>
  (async function* () {
    yield new TextEncoder().encode(text);
  })();
