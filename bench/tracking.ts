/**
 * Tracking at scale, each figure against a limit measured in the same run:
 * (a) ingest: 1M metric points through MLflow's runs/log-batch over HTTP (batches of 1,000,
 *     4 concurrent clients) vs a raw COPY of the same rows into a scratch table;
 * (b) search: 100k runs × 20 params × 20 metrics, first page of a filter on one metric and one
 *     param ordered by a metric (p50/p95);
 * (c) history: a chart of the 1M-point metric (downsampled to ~1,000 points) vs reading 1,000
 *     rows of it by index.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { startApiServer } from "@gantry/api/testing/http-server";
import { createExperiment, createRun, getMetricChart, searchRunIds } from "@gantry/api/tracking";

import { scratchDatabase } from "./lib/database";
import { benchValue } from "./lib/ingest-client";
import { benchOrg } from "./lib/fixture";
import { fmt, sample, timeIt } from "./lib/stats";

const exec = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 100_000);
const BATCH = 1000;
const CLIENTS = Number(process.env.BENCH_INGEST_CLIENTS ?? 4);

export async function benchTracking() {
  const db = await scratchDatabase();
  try {
    const { ctx, secret } = await benchOrg(db.db);
    const experiment = await createExperiment(ctx, { name: "bench" });
    const run = await createRun(ctx, { experimentId: experiment.id, name: "ingest" });
    const api = await startApiServer(db.db, db.sql);

    // (a) ingest: the clients run in their own process, as a real fleet of MLflow clients would.
    const t0 = 1_700_000_000_000;
    const value = benchValue;
    const { stdout } = await exec(process.execPath, ["--import", "tsx", path.join(here, "lib/ingest-client.ts")], {
      env: { ...process.env, URL: api.url, KEY: secret, RUN_ID: run.info.id, POINTS: String(POINTS), BATCH: String(BATCH), CLIENTS: String(CLIENTS), T0: String(t0) },
      maxBuffer: 1 << 20,
    });
    const ingestMs = (JSON.parse(stdout) as { ms: number }).ms;
    await api.close();

    await db.sql`create table copy_limit (run_id uuid, key text, value float8, timestamp int8, step int8)`;
    await db.sql`create index on copy_limit (run_id, key, step)`;
    const [copyMs] = await timeIt(async () => {
      const writable = await db.sql`copy copy_limit from stdin`.writable();
      const rows = (function* () {
        for (let i = 0; i < POINTS; i += 10_000) {
          let chunk = "";
          for (let j = i; j < Math.min(POINTS, i + 10_000); j++) chunk += `${run.info.id}\tloss\t${value(j)}\t${t0 + j}\t${j}\n`;
          yield chunk;
        }
      })();
      await pipeline(Readable.from(rows), writable);
    });
    const ingestRate = POINTS / (ingestMs / 1000);
    const copyRate = POINTS / (copyMs / 1000);
    console.log(`\n## tracking (a) ingest: ${fmt(POINTS, 0)} points`);
    console.log(`MLflow log-batch over HTTP (${CLIENTS} clients × batches of ${BATCH})  ${fmt(ingestRate, 0)} points/s`);
    console.log(`raw COPY into a scratch table (same rows, same index)            ${fmt(copyRate, 0)} points/s`);
    console.log(`ratio: ${fmt((ingestRate / copyRate) * 100)}% of the raw COPY rate`);

    // (c) history (fresh statistics first, as autovacuum would have them in a long-running server)
    // The limit reads 1,000 rows of a row-per-point table by index: the COPY table of (a).
    await db.sql`analyze metric_buckets`;
    await db.sql`analyze copy_limit`;
    const readLimit = await sample(20, (i) => db.sql`select value, step, timestamp from copy_limit where run_id = ${run.info.id} and key = 'loss' and step >= ${i * 10_000} order by step limit 1000`);
    const chart = await sample(20, () => getMetricChart(ctx, { runId: run.info.id, key: "loss", points: 1000 }));
    const points = (await getMetricChart(ctx, { runId: run.info.id, key: "loss", points: 1000 })).points.length;
    console.log(`\n## tracking (c) history: chart of a ${fmt(POINTS, 0)}-point metric (${points} points drawn)`);
    console.log(`read 1,000 rows by index   p50 ${fmt(readLimit.p50, 2)} ms   p95 ${fmt(readLimit.p95, 2)} ms`);
    console.log(`downsampled chart          p50 ${fmt(chart.p50, 2)} ms   p95 ${fmt(chart.p95, 2)} ms`);
    console.log(`ratio: ${fmt(chart.p50 / readLimit.p50, 2)}× the 1,000-row read (p50)`);

    // (b) search
    const searchExperiment = await createExperiment(ctx, { name: "search bench" });
    await seedRuns(db.sql, ctx.orgId, searchExperiment.id, RUNS);
    const search = await sample(30, (i) =>
      searchRunIds(db.db, {
        orgId: ctx.orgId,
        experimentIds: [searchExperiment.id],
        filter: `metrics.m3 > ${0.5 + (i % 10) / 50} and params.p5 = 'v${i % 4}'`,
        orderBy: ["metrics.m7 DESC"],
        maxResults: 50,
        viewType: "ACTIVE_ONLY",
      }),
    );
    console.log(`\n## tracking (b) search: ${fmt(RUNS, 0)} runs × 20 params × 20 metrics, first page of 50`);
    console.log(`filter metrics.m3 > x and params.p5 = 'v' order by metrics.m7 DESC   p50 ${fmt(search.p50, 1)} ms   p95 ${fmt(search.p95, 1)} ms   (aim: p50 ≤ 50 ms)`);
  } finally {
    await db.dispose();
  }
}

/** 100k runs with 20 params and 20 latest metrics each, loaded with COPY (setup, not measured). */
export async function seedRuns(sql: Awaited<ReturnType<typeof scratchDatabase>>["sql"], orgId: string, experimentId: string, n: number) {
  const ids: string[] = [];
  const copy = async (table: string, columns: string, lines: () => Generator<string>) => {
    const writable = await sql.unsafe(`copy ${table} (${columns}) from stdin`).writable();
    await pipeline(Readable.from(lines()), writable);
  };
  const { uuidv7 } = await import("uuidv7");
  for (let i = 0; i < n; i++) ids.push(uuidv7());
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  await copy("runs", "id, org_id, experiment_id, name, status, start_time, lifecycle_stage", function* () {
    for (let i = 0; i < n; i++) yield `${ids[i]}\t${orgId}\t${experimentId}\trun-${i}\tFINISHED\t${1_700_000_000_000 + i}\tactive\n`;
  });
  await copy("run_params", "org_id, run_id, key, value", function* () {
    for (let i = 0; i < n; i++) {
      let chunk = "";
      for (let p = 0; p < 20; p++) chunk += `${orgId}\t${ids[i]}\tp${p}\tv${Math.floor(rand() * 4)}\n`;
      yield chunk;
    }
  });
  await copy("latest_metrics", "org_id, run_id, key, value, timestamp, step", function* () {
    for (let i = 0; i < n; i++) {
      let chunk = "";
      for (let m = 0; m < 20; m++) chunk += `${orgId}\t${ids[i]}\tm${m}\t${rand()}\t1\t0\n`;
      yield chunk;
    }
  });
  await sql`analyze runs; analyze run_params; analyze latest_metrics`.simple();
}
