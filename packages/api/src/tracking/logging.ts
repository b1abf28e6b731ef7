import type { Executor } from "@gantry/db";
import { and, eq, inArray, param, sql } from "@gantry/db";
import { GantryError, runParams, runTags, ZLogBatchInput } from "@gantry/schema";
import type { LogBatchInput, MetricInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { bucketRows } from "./buckets";
import { activeRunRow } from "./runs";

/**
 * Logs metrics, params and tags to a run, all or nothing (one transaction; MLflow allows a failed
 * batch to leave part of it written, we do not). Metrics are one multi-row insert; the latest
 * value per key and the chart buckets are kept in step in the same transaction.
 */
export async function logBatch(ctx: OrgContext, runId: string, raw: LogBatchInput): Promise<void> {
  const input = parseInput(ZLogBatchInput, raw);
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

async function logMetrics(tx: Executor, orgId: string, runId: string, metrics: MetricInput[]) {
  const columns = {
    keys: metrics.map((m) => m.key),
    values: metrics.map((m) => m.value),
    timestamps: metrics.map((m) => m.timestamp),
    steps: metrics.map((m) => m.step),
  };
  await tx.execute(sql`
    insert into metrics (org_id, run_id, key, value, timestamp, step)
    select ${orgId}, ${runId}, k, v, ts, s
    from unnest(${param(columns.keys)}::text[], ${param(columns.values)}::float8[], ${param(columns.timestamps)}::int8[], ${param(columns.steps)}::int8[]) as t(k, v, ts, s)`);

  const latest = new Map<string, MetricInput>();
  for (const m of metrics) {
    const current = latest.get(m.key);
    if (!current || later(m, current)) latest.set(m.key, m);
  }
  // Rows are upserted in a fixed order (key, level, bucket) so concurrent batches of one run lock
  // them in the same order and cannot deadlock.
  const l = [...latest.values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  await tx.execute(sql`
    insert into latest_metrics (org_id, run_id, key, value, timestamp, step)
    select ${orgId}, ${runId}, k, v, ts, s
    from unnest(${param(l.map((m) => m.key))}::text[], ${param(l.map((m) => m.value))}::float8[], ${param(l.map((m) => m.timestamp))}::int8[], ${param(l.map((m) => m.step))}::int8[]) as t(k, v, ts, s)
    on conflict (run_id, key) do update set value = excluded.value, timestamp = excluded.timestamp, step = excluded.step
    where (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`);

  const b = bucketRows(metrics).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.level - y.level || x.bucket - y.bucket));
  if (b.length === 0) return;
  const col = <K extends keyof (typeof b)[number]>(k: K) => param(b.map((r) => r[k]));
  await tx.execute(sql`
    insert into metric_buckets (org_id, run_id, key, level, bucket, count, first_step, last_step, min_value, min_step, min_timestamp, max_value, max_step, max_timestamp)
    select ${orgId}, ${runId}, k, l, b, c, fs, ls, mnv, mns, mnt, mxv, mxs, mxt
    from unnest(${col("key")}::text[], ${col("level")}::int[], ${col("bucket")}::int8[], ${col("count")}::int[], ${col("firstStep")}::int8[], ${col("lastStep")}::int8[],
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
      max_value = greatest(metric_buckets.max_value, excluded.max_value)`);
}

export const logMetric = (ctx: OrgContext, runId: string, metric: NonNullable<LogBatchInput["metrics"]>[number]) => logBatch(ctx, runId, { metrics: [metric] });

export const logParam = (ctx: OrgContext, runId: string, p: { key: string; value: string }) => logBatch(ctx, runId, { params: [p] });

export const setRunTag = (ctx: OrgContext, runId: string, tag: { key: string; value: string }) => logBatch(ctx, runId, { tags: [tag] });
