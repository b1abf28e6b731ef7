import type { Executor } from "@gantry/db";
import { and, eq, executePrepared, inArray, param, sql } from "@gantry/db";
import { GantryError, runParams, runTags, ZLogBatchInput } from "@gantry/schema";
import type { LogBatchInput, MetricInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { bucketRows } from "./buckets";
import { isUuid } from "./ids";
import { activeRunRow } from "./runs";

/**
 * Logs metrics, params and tags to a run, all or nothing (MLflow allows a failed batch to leave
 * part of it written, we do not): a metrics-only batch is one statement (see logMetrics), any
 * other batch one transaction. The latest value per key and the chart buckets move with the history.
 */
export async function logBatch(ctx: OrgContext, runId: string, raw: LogBatchInput): Promise<void> {
  const input = parseInput(ZLogBatchInput, raw);
  if (!input.params.length && !input.tags.length) {
    // Metrics only (the hot path): one statement, atomic on its own, that also checks the run.
    if (input.metrics.length && !(await logMetrics(ctx.db, ctx.orgId, runId, input.metrics))) {
      await activeRunRow(ctx, runId); // throws the precise error: unknown run, or deleted
      throw new GantryError("NOT_FOUND", `Run with id=${runId} not found`, { field: "run_id" });
    }
    return;
  }
  await ctx.db.transaction(async (tx) => {
    // FOR SHARE: a concurrent delete waits for this batch, and batches do not block each other.
    const run = await activeRunRow({ ...ctx, db: tx }, runId, { lock: "share" });
    if (input.params.length) await logParams(tx, ctx.orgId, run.id, input.params);
    if (input.tags.length) {
      const last = new Map(input.tags.map((t) => [t.key, t.value])); // last value wins within a batch
      await tx
        .insert(runTags)
        .values([...last].map(([key, value]) => ({ orgId: ctx.orgId, runId: run.id, key, value })))
        .onConflictDoUpdate({ target: [runTags.runId, runTags.key], set: { value: sql`excluded.value` } });
    }
    if (input.metrics.length) await logMetrics(tx, ctx.orgId, run.id, input.metrics);
  });
}

async function logParams(tx: Executor, orgId: string, runId: string, params: { key: string; value: string }[]) {
  await tx
    .insert(runParams)
    .values(params.map((p) => ({ orgId, runId, key: p.key, value: p.value })))
    .onConflictDoNothing();
  // Params are write-once: the same value again is fine, a different one is refused (and rolls back).
  const stored = await tx
    .select({ key: runParams.key, value: runParams.value })
    .from(runParams)
    .where(and(eq(runParams.runId, runId), inArray(runParams.key, params.map((p) => p.key))));
  const byKey = new Map(stored.map((s) => [s.key, s.value]));
  for (const p of params) {
    const existing = byKey.get(p.key);
    if (existing !== undefined && existing !== p.value) {
      throw new GantryError(
        "INVALID_INPUT",
        `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${existing}' for run ID='${runId}'. Attempted logging new value '${p.value}'.`,
        { field: "params" },
      );
    }
  }
}

/** (step, timestamp, value) order decides the latest value, as MLflow's SQL store does. */
const later = (a: MetricInput, b: MetricInput) => a.step > b.step || (a.step === b.step && (a.timestamp > b.timestamp || (a.timestamp === b.timestamp && a.value > b.value)));

/**
 * Writes a batch's metrics as ONE statement (data-modifying CTEs; atomic by itself): the run
 * check (active, this org, FOR SHARE so a concurrent delete waits), one history chunk per key,
 * the latest value per key and the chart buckets. Answers false, having written nothing, when
 * the run is not an active run of the org. One round trip instead of six was the largest gain
 * in ingest after the chunked history itself.
 */
async function logMetrics(db: Executor, orgId: string, runId: string, metrics: MetricInput[]): Promise<boolean> {
  if (!isUuid(runId)) return false;
  // One chunk per key of this batch, its points in the order they came (see metric_chunks).
  const chunks = new Map<string, MetricInput[]>();
  for (const m of metrics) {
    const points = chunks.get(m.key);
    if (points) points.push(m);
    else chunks.set(m.key, [m]);
  }
  const c = [...chunks].map(([key, points]) => {
    let first = Infinity;
    let last = -Infinity;
    for (const p of points) {
      if (p.step < first) first = p.step;
      if (p.step > last) last = p.step;
    }
    // Array literals: String() of a double round-trips (NaN, Infinity and -Infinity included). JSON.stringify
    // writes finite numbers the same way, natively and much faster; it would write a non-finite one as null.
    const literal = (f: (p: MetricInput) => number) => {
      const numbers = points.map(f);
      return numbers.every(Number.isFinite) ? `{${JSON.stringify(numbers).slice(1, -1)}}` : `{${numbers.map(String).join(",")}}`;
    };
    return { key, first, last, count: points.length, steps: literal((p) => p.step), values: literal((p) => p.value), timestamps: literal((p) => p.timestamp) };
  });

  const latest = new Map<string, MetricInput>();
  for (const m of metrics) {
    const current = latest.get(m.key);
    if (!current || later(m, current)) latest.set(m.key, m);
  }
  // Rows are upserted in a fixed order (key, level, bucket) so concurrent batches of one run lock
  // them in the same order and cannot deadlock.
  const l = [...latest.values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const b = bucketRows(metrics).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.level - y.level || x.bucket - y.bucket));
  const col = <K extends keyof (typeof b)[number]>(k: K) => param(b.map((r) => r[k]));

  // Prepared (its text is the same for every batch): one round trip instead of two.
  const [row] = await executePrepared<{ found: boolean }>(db, sql`
    with run as (
      select id from runs where id = ${runId} and org_id = ${orgId} and lifecycle_stage = 'active' for share
    ), chunks as (
      insert into metric_chunks (org_id, run_id, key, first_step, last_step, count, steps, values, timestamps)
      select ${orgId}, run.id, k, fs, ls, n, s::int8[], v::float8[], t::int8[]
      from run, unnest(${param(c.map((x) => x.key))}::text[], ${param(c.map((x) => x.first))}::int8[], ${param(c.map((x) => x.last))}::int8[], ${param(c.map((x) => x.count))}::int[],
                       ${param(c.map((x) => x.steps))}::text[], ${param(c.map((x) => x.values))}::text[], ${param(c.map((x) => x.timestamps))}::text[]) as u(k, fs, ls, n, s, v, t)
      returning 1
    ), latest as (
      insert into latest_metrics (org_id, run_id, key, value, timestamp, step)
      select ${orgId}, run.id, k, v, ts, s
      from run, unnest(${param(l.map((m) => m.key))}::text[], ${param(l.map((m) => m.value))}::float8[], ${param(l.map((m) => m.timestamp))}::int8[], ${param(l.map((m) => m.step))}::int8[]) as t(k, v, ts, s)
      on conflict (run_id, key) do update set value = excluded.value, timestamp = excluded.timestamp, step = excluded.step
      where (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)
      returning 1
    ), buckets as (
      insert into metric_buckets (org_id, run_id, key, level, bucket, count, first_step, last_step, min_value, min_step, min_timestamp, max_value, max_step, max_timestamp)
      select ${orgId}, run.id, k, l, b, c, fs, ls, mnv, mns, mnt, mxv, mxs, mxt
      from run, unnest(${col("key")}::text[], ${col("level")}::int[], ${col("bucket")}::int8[], ${col("count")}::int[], ${col("firstStep")}::int8[], ${col("lastStep")}::int8[],
                  ${col("minValue")}::float8[], ${col("minStep")}::int8[], ${col("minTimestamp")}::int8[],
                  ${col("maxValue")}::float8[], ${col("maxStep")}::int8[], ${col("maxTimestamp")}::int8[]) as t(k, l, b, c, fs, ls, mnv, mns, mnt, mxv, mxs, mxt)
      on conflict (run_id, key, level, bucket) do update set
        count = metric_buckets.count + excluded.count,
        first_step = least(metric_buckets.first_step, excluded.first_step),
        last_step = greatest(metric_buckets.last_step, excluded.last_step),
        min_step = case when excluded.min_value < metric_buckets.min_value then excluded.min_step else metric_buckets.min_step end,
        min_timestamp = case when excluded.min_value < metric_buckets.min_value then excluded.min_timestamp else metric_buckets.min_timestamp end,
        min_value = least(metric_buckets.min_value, excluded.min_value),
        max_step = case when excluded.max_value > metric_buckets.max_value then excluded.max_step else metric_buckets.max_step end,
        max_timestamp = case when excluded.max_value > metric_buckets.max_value then excluded.max_timestamp else metric_buckets.max_timestamp end,
        max_value = greatest(metric_buckets.max_value, excluded.max_value)
      returning 1
    )
    select exists (select 1 from run) as found`);
  return row?.found ?? false;
}

export const logMetric = (ctx: OrgContext, runId: string, metric: NonNullable<LogBatchInput["metrics"]>[number]) => logBatch(ctx, runId, { metrics: [metric] });

export const logParam = (ctx: OrgContext, runId: string, p: { key: string; value: string }) => logBatch(ctx, runId, { params: [p] });

export const setRunTag = (ctx: OrgContext, runId: string, tag: { key: string; value: string }) => logBatch(ctx, runId, { tags: [tag] });
