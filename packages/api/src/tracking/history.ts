import { executePrepared, sql } from "@gantry/db";
import { GantryError, trackingLimits, ZTrackingKey } from "@gantry/schema";
import type { Metric } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { BUCKET_LEVELS, bucketWidth } from "./buckets";
import { decodeOffsetToken, encodeOffsetToken } from "./page-token";
import { runRow } from "./runs";

/** MLflow's metrics/get-history: every point, in (step, timestamp) order, paged when asked. */
export async function getMetricHistory(
  ctx: OrgContext,
  input: { runId: string; key: string; maxResults?: number; pageToken?: string },
): Promise<{ metrics: Metric[]; nextPageToken: string | null }> {
  const key = parseInput(ZTrackingKey, input.key);
  const run = await runRow(ctx, input.runId);
  const max = input.maxResults ?? trackingLimits.historyMax;
  if (!Number.isInteger(max) || max < 1 || max > trackingLimits.historyMax) {
    throw new GantryError("INVALID_INPUT", `max_results must be between 1 and ${trackingLimits.historyMax}`, { field: "max_results" });
  }
  const offset = decodeOffsetToken(input.pageToken);
  const rows = await readPoints(ctx, run.id, key, { limit: max + 1, offset });
  return { metrics: rows.slice(0, max), nextPageToken: rows.length > max ? encodeOffsetToken(offset + max) : null };
}

/**
 * Points of one (run, key) in (step, timestamp) order, from its chunks; a step range skips the
 * chunks wholly outside it. Unnested in SQL: only the page asked for crosses the wire.
 */
async function readPoints(ctx: OrgContext, runId: string, key: string, page: { limit: number; offset: number; steps?: readonly [number, number] }): Promise<Metric[]> {
  const range = page.steps ? sql`and c.last_step >= ${page.steps[0]} and c.first_step <= ${page.steps[1]} and u.step between ${page.steps[0]} and ${page.steps[1]}` : sql``;
  const rows = await ctx.db.execute<{ value: number; timestamp: string; step: string }>(sql`
    select u.value, u.timestamp, u.step
    from metric_chunks c, unnest(c.values, c.timestamps, c.steps) as u(value, timestamp, step)
    where c.run_id = ${runId} and c.key = ${key} ${range}
    order by u.step, u.timestamp
    limit ${page.limit} offset ${page.offset}`);
  return rows.map((r) => ({ key, value: Number(r.value), timestamp: Number(r.timestamp), step: Number(r.step) }));
}

export type ChartSeries = { points: Metric[]; downsampled: boolean; total: number };

/**
 * A metric's history for a chart: about `points` points whatever its length, keeping each
 * bucket's extremes. Reads the precomputed buckets (one level, ~points rows); short histories are
 * read raw. Histories logged without steps (all at one step) fall back to sampling by time.
 */
export async function getMetricChart(
  ctx: OrgContext,
  input: { runId: string; key: string; points?: number; startStep?: number; endStep?: number },
): Promise<ChartSeries> {
  const key = parseInput(ZTrackingKey, input.key);
  const run = await runRow(ctx, input.runId);
  const target = Math.min(Math.max(input.points ?? 1000, 10), 5000);
  // The two bucket reads are prepared statements (fixed text): one round trip each instead of two.
  const [extent] = await executePrepared<{ total: number; first: number | null; last: number | null }>(
    ctx.db,
    sql`select coalesce(sum(count), 0)::int as total, min(first_step)::float8 as first, max(last_step)::float8 as last
          from metric_buckets where run_id = ${run.id} and key = ${key} and level = ${BUCKET_LEVELS - 1}`,
  );
  const total = extent?.total ?? 0;
  const first = Math.max(Number(extent?.first ?? 0), input.startStep ?? -Infinity);
  const last = Math.min(Number(extent?.last ?? 0), input.endStep ?? Infinity);
  const ranged = input.startStep !== undefined || input.endStep !== undefined;

  if (total <= target * 2) {
    const rows = await readPoints(ctx, run.id, key, { limit: target * 4, offset: 0, ...(ranged ? { steps: [first, last] as const } : {}) });
    return { points: rows, downsampled: false, total };
  }
  const span = last - first + 1;
  let level = 0;
  while (level < BUCKET_LEVELS - 1 && span / bucketWidth(level) > target) level++;
  if (span / bucketWidth(level) < target / 16) return sampleByTime(ctx, run.id, key, target, total);

  const width = bucketWidth(level);
  const rows = await executePrepared<{ minValue: number; minStep: number; minTimestamp: number; maxValue: number; maxStep: number; maxTimestamp: number }>(
    ctx.db,
    sql`select min_value as "minValue", min_step::float8 as "minStep", min_timestamp::float8 as "minTimestamp",
               max_value as "maxValue", max_step::float8 as "maxStep", max_timestamp::float8 as "maxTimestamp"
          from metric_buckets
         where run_id = ${run.id} and key = ${key} and level = ${level} and bucket between ${Math.floor(first / width)} and ${Math.floor(last / width)}
         order by bucket`,
  );
  // Each bucket gives its min and max; merge neighbours so the chart gets at most ~target points.
  const group = Math.max(1, Math.ceil((2 * rows.length) / target));
  const merged = [];
  for (let i = 0; i < rows.length; i += group) {
    const slice = rows.slice(i, i + group);
    const lo = slice.reduce((a, b) => (b.minValue < a.minValue ? b : a));
    const hi = slice.reduce((a, b) => (b.maxValue > a.maxValue ? b : a));
    merged.push({ minValue: lo.minValue, minStep: lo.minStep, minTimestamp: lo.minTimestamp, maxValue: hi.maxValue, maxStep: hi.maxStep, maxTimestamp: hi.maxTimestamp });
  }
  const points: Metric[] = [];
  for (const b of merged) {
    const lo = { key, value: b.minValue, step: b.minStep, timestamp: b.minTimestamp };
    const hi = { key, value: b.maxValue, step: b.maxStep, timestamp: b.maxTimestamp };
    if (b.minStep === b.maxStep && b.minTimestamp === b.maxTimestamp) points.push(lo);
    else points.push(...(lo.step <= hi.step ? [lo, hi] : [hi, lo]));
  }
  return { points, downsampled: true, total };
}

/** Min and max of each of `target` equal-count slices ordered by time: for step-less histories. */
async function sampleByTime(ctx: OrgContext, runId: string, key: string, target: number, total: number): Promise<ChartSeries> {
  const rows = await ctx.db.execute<{ value: number; timestamp: string; step: string }>(sql`
    with points as (
      select u.value, u.timestamp, u.step
      from metric_chunks c, unnest(c.values, c.timestamps, c.steps) as u(value, timestamp, step)
      where c.run_id = ${runId} and c.key = ${key}
    ), sliced as (
      select value, timestamp, step, ntile(${target}) over (order by timestamp, step) as slice
      from points where value not in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)
    ), ranked as (
      select *, row_number() over (partition by slice order by value asc) as lo, row_number() over (partition by slice order by value desc) as hi from sliced
    )
    select value, timestamp, step from ranked where lo = 1 or hi = 1 order by timestamp, step`);
  return { points: rows.map((r) => ({ key, value: r.value, timestamp: Number(r.timestamp), step: Number(r.step) })), downsampled: true, total };
}
