import type { Database } from "@gantry/db";
import { and, asc, eq, gte, sql } from "@gantry/db";
import type { EndpointTrafficPoint, EndpointTrafficInput } from "@gantry/schema";
import { endpointMinuteStats, LATENCY_BUCKETS_MS, ZEndpointTrafficInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { endpointByName } from "./lookup";

/*
 * Per-minute operations counters per endpoint and variant: counted in memory on the serving
 * path, added to `endpoint_minute_stats` every few seconds by one upsert. Latency is kept as a
 * histogram over LATENCY_BUCKETS_MS, so minutes (and processes) merge by adding.
 */

const MINUTE_MS = 60_000;

type Counts = { orgId: string; endpointId: string; revision: number; variant: string; minute: number; requests: number; errors: number; latencySumMs: number; buckets: number[] };

export type MinuteStatsRecorder = {
  record(sample: { orgId: string; endpointId: string; revision: number; variant: string; latencyMs: number; error: boolean; at?: Date }): void;
  /** Adds the counts so far to the table; on failure they are kept and go with the next flush. */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Counts not yet flushed (endpoint × variant × minute cells). */
  pending(): number;
};

/** The index of the bucket a latency falls in: the first whose upper bound is ≥ it. */
export function latencyBucket(latencyMs: number): number {
  const i = LATENCY_BUCKETS_MS.findIndex((upper) => latencyMs <= upper);
  return i < 0 ? LATENCY_BUCKETS_MS.length - 1 : i;
}

export function createMinuteStatsRecorder(options: { db: Database; flushIntervalMs?: number }): MinuteStatsRecorder {
  const { db, flushIntervalMs = 5_000 } = options;
  let cells = new Map<string, Counts>();
  let inflight: Promise<void> | null = null;

  const add = (into: Map<string, Counts>, key: string, c: Counts) => {
    const cell = into.get(key);
    if (!cell) return void into.set(key, c);
    cell.requests += c.requests;
    cell.errors += c.errors;
    cell.latencySumMs += c.latencySumMs;
    c.buckets.forEach((n, i) => (cell.buckets[i] = (cell.buckets[i] ?? 0) + n));
  };

  async function write(): Promise<void> {
    if (!cells.size) return;
    const taken = cells;
    cells = new Map();
    try {
      await upsert(db, [...taken.values()]);
    } catch (error) {
      // Merged back under what was counted meanwhile: an outage delays counts, it does not lose them.
      for (const [key, c] of taken) add(cells, key, c);
      throw error;
    }
  }

  const flush = async (): Promise<void> => {
    while (inflight) await inflight.catch(() => undefined);
    inflight = write().finally(() => {
      inflight = null;
    });
    return inflight;
  };

  const timer = setInterval(() => void flush().catch(() => undefined), flushIntervalMs);
  timer.unref();

  return {
    record({ orgId, endpointId, revision, variant, latencyMs, error, at }) {
      const minute = Math.floor((at ?? new Date()).getTime() / MINUTE_MS) * MINUTE_MS;
      const buckets = new Array<number>(LATENCY_BUCKETS_MS.length).fill(0);
      buckets[latencyBucket(latencyMs)] = 1;
      add(cells, `${endpointId}\u0000${revision}\u0000${variant}\u0000${minute}`, { orgId, endpointId, revision, variant, minute, requests: 1, errors: error ? 1 : 0, latencySumMs: latencyMs, buckets });
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
    pending: () => cells.size,
  };
}

/** One statement for every cell; on conflict the counts and the histogram are added element by element. */
async function upsert(db: Database, cells: Counts[]): Promise<void> {
  const col = <T>(pick: (c: Counts) => T) => sql.param(cells.map(pick));
  await db.execute(sql`
    insert into endpoint_minute_stats (org_id, endpoint_id, revision, variant, minute, requests, errors, latency_sum_ms, latency_buckets)
    select t.org_id, t.endpoint_id, t.revision, t.variant, t.minute, t.requests, t.errors, t.latency_sum_ms, t.latency_buckets::int[]
    from unnest(
      ${col((c) => c.orgId)}::uuid[], ${col((c) => c.endpointId)}::uuid[], ${col((c) => c.revision)}::int[], ${col((c) => c.variant)}::text[],
      ${col((c) => new Date(c.minute).toISOString())}::text[]::timestamptz[], ${col((c) => c.requests)}::int[], ${col((c) => c.errors)}::int[],
      ${col((c) => c.latencySumMs)}::float8[], ${col((c) => `{${c.buckets.join(",")}}`)}::text[]
    ) as t(org_id, endpoint_id, revision, variant, minute, requests, errors, latency_sum_ms, latency_buckets)
    on conflict (endpoint_id, revision, variant, minute) do update set
      requests = endpoint_minute_stats.requests + excluded.requests,
      errors = endpoint_minute_stats.errors + excluded.errors,
      latency_sum_ms = endpoint_minute_stats.latency_sum_ms + excluded.latency_sum_ms,
      latency_buckets = (
        select array_agg(coalesce(a, 0) + coalesce(b, 0) order by i)
        from unnest(endpoint_minute_stats.latency_buckets, excluded.latency_buckets) with ordinality as u(a, b, i)
      )`);
}

/**
 * The latency below which a fraction `q` of the samples fall, estimated from the histogram:
 * find the bucket holding the q-th sample and interpolate linearly between its bounds (the
 * first bucket starts at 0), assuming samples spread evenly within it. The estimate is only as
 * fine as the buckets; a quantile in the unbounded last bucket is reported as its lower bound.
 */
export function histogramQuantile(buckets: readonly number[], q: number): number | null {
  const total = buckets.reduce((s, n) => s + n, 0);
  if (!total) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < buckets.length; i++) {
    const n = buckets[i] ?? 0;
    if (n > 0 && below + n >= rank) {
      const lower = i === 0 ? 0 : (LATENCY_BUCKETS_MS[i - 1] ?? 0);
      const upper = LATENCY_BUCKETS_MS[i] ?? Number.POSITIVE_INFINITY;
      if (!Number.isFinite(upper)) return lower;
      return lower + ((rank - below) / n) * (upper - lower);
    }
    below += n;
  }
  return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 2] ?? null;
}

/** Requests, errors and latency of the endpoint per minute and variant over the last `minutes`, oldest first. */
export async function endpointTraffic(ctx: OrgContext, name: string, options: Omit<EndpointTrafficInput, "name"> = {}): Promise<EndpointTrafficPoint[]> {
  const input = parseInput(ZEndpointTrafficInput, { name, ...options });
  const endpoint = await endpointByName(ctx, input.name);
  const since = new Date(Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - (input.minutes - 1) * MINUTE_MS);
  const rows = await ctx.db
    .select()
    .from(endpointMinuteStats)
    .where(and(eq(endpointMinuteStats.endpointId, endpoint.id), eq(endpointMinuteStats.orgId, ctx.orgId), gte(endpointMinuteStats.minute, since)))
    .orderBy(asc(endpointMinuteStats.minute), asc(endpointMinuteStats.variant));
  // A minute can hold several revisions (a deploy mid-minute): the chart shows the variant's minute as a whole.
  const merged = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const key = `${r.minute.getTime()}\u0000${r.variant}`;
    const into = merged.get(key);
    if (!into) merged.set(key, { ...r, latencyBuckets: [...r.latencyBuckets] });
    else {
      into.requests += r.requests;
      into.errors += r.errors;
      into.latencySumMs += r.latencySumMs;
      r.latencyBuckets.forEach((n, i) => (into.latencyBuckets[i] = (into.latencyBuckets[i] ?? 0) + n));
    }
  }
  return [...merged.values()].map((r) => ({
    minute: r.minute,
    variant: r.variant,
    requests: r.requests,
    errors: r.errors,
    meanMs: r.requests ? r.latencySumMs / r.requests : null,
    p50Ms: histogramQuantile(r.latencyBuckets, 0.5),
    p95Ms: histogramQuantile(r.latencyBuckets, 0.95),
    p99Ms: histogramQuantile(r.latencyBuckets, 0.99),
  }));
}
