import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDatabase } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { endpointMinuteStats, LATENCY_BUCKETS_MS } from "@gantry/schema";

import type { OrgContext } from "../context";
import type { OrgFixture } from "../testing";
import { callerFor, createOrgFixture, expectDenied, fixtureContext } from "../testing";
import { startTcpProxy } from "../testing/tcp-proxy";
import { createEndpoint } from "./endpoints";
import { createMinuteStatsRecorder, endpointTraffic, histogramQuantile, latencyBucket } from "./minute-stats";

/* Per-minute operations counters: additive flushes, histogram quantiles, outages, tenancy. */

const tdb = await createTestDatabase();
let org: OrgFixture;
let other: OrgFixture;
let ctx: OrgContext;
let endpointId = "";
beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "stats");
  other = await createOrgFixture(tdb.db, "stats-other");
  ctx = fixtureContext(tdb.db, org);
  endpointId = (await createEndpoint(ctx, { name: "scorer" })).id;
});
afterAll(() => tdb.drop());

/** The start of the current UTC minute, minus `back` minutes. */
const minuteAgo = (back: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 - back * 60_000);

describe("minute stats recorder", () => {
  it("adds each flush to the stored minute, histogram included", async () => {
    const recorder = createMinuteStatsRecorder({ db: tdb.db, flushIntervalMs: 60_000 });
    const at = minuteAgo(5);
    const sample = (variant: string, latencyMs: number, error = false) => recorder.record({ orgId: org.org.id, endpointId, revision: 1, variant, latencyMs, error, at });
    sample("a", 0.1);
    sample("a", 4, true);
    sample("b", 40);
    await recorder.flush();
    sample("a", 4);
    sample("a", 9_999);
    await recorder.close();

    const rows = await tdb.db.select().from(endpointMinuteStats).orderBy(endpointMinuteStats.variant);
    expect(rows.map((r) => [r.variant, r.minute.toISOString(), r.requests, r.errors, r.latencySumMs])).toEqual([
      ["a", at.toISOString(), 4, 1, 0.1 + 4 + 4 + 9_999],
      ["b", at.toISOString(), 1, 0, 40],
    ]);
    const expected = new Array<number>(LATENCY_BUCKETS_MS.length).fill(0);
    expected[0] = 1;
    expected[latencyBucket(4)] = 2;
    expected[LATENCY_BUCKETS_MS.length - 1] = 1;
    expect(rows[0]?.latencyBuckets).toEqual(expected);
    expect(latencyBucket(4)).toBe(LATENCY_BUCKETS_MS.indexOf(5));
  });

  it("keeps the counts of a flush that failed and writes them with the next one", async () => {
    const proxy = await startTcpProxy(tdb.url);
    const client = createDatabase({ url: proxy.url, max: 1 });
    const recorder = createMinuteStatsRecorder({ db: client.db, flushIntervalMs: 60_000 });
    const at = minuteAgo(3);
    try {
      for (let i = 0; i < 10; i++) recorder.record({ orgId: org.org.id, endpointId, revision: 1, variant: "outage", latencyMs: 2, error: i < 3, at });
      await proxy.cut();
      await expect(recorder.flush()).rejects.toThrow();
      for (let i = 0; i < 5; i++) recorder.record({ orgId: org.org.id, endpointId, revision: 1, variant: "outage", latencyMs: 2, error: false, at });
      await expect(recorder.flush()).rejects.toThrow();
      expect(recorder.pending()).toBe(1);
      await proxy.restore();
      await recorder.flush();
      expect(recorder.pending()).toBe(0);
    } finally {
      await recorder.close().catch(() => undefined);
      await client.close();
      await proxy.close();
    }
    const [point] = (await endpointTraffic(ctx, "scorer", { minutes: 10 })).filter((p) => p.variant === "outage");
    expect(point).toMatchObject({ minute: at, requests: 15, errors: 3, meanMs: 2 });
  }, 60_000);
});

describe("endpoint traffic", () => {
  it("estimates quantiles by linear interpolation within the bucket", () => {
    // 100 samples: 50 in (1, 2], 45 in (5, 7.5], 5 in (50, 100].
    const buckets = new Array<number>(LATENCY_BUCKETS_MS.length).fill(0);
    buckets[LATENCY_BUCKETS_MS.indexOf(2)] = 50;
    buckets[LATENCY_BUCKETS_MS.indexOf(7.5)] = 45;
    buckets[LATENCY_BUCKETS_MS.indexOf(100)] = 5;
    expect(histogramQuantile(buckets, 0.5)).toBe(2);
    expect(histogramQuantile(buckets, 0.25)).toBe(1.5);
    expect(histogramQuantile(buckets, 0.95)).toBe(7.5);
    expect(histogramQuantile(buckets, 0.99)).toBe(90);
    expect(histogramQuantile(new Array<number>(LATENCY_BUCKETS_MS.length).fill(0), 0.5)).toBeNull();
    const slow = new Array<number>(LATENCY_BUCKETS_MS.length).fill(0);
    slow[LATENCY_BUCKETS_MS.length - 1] = 3;
    expect(histogramQuantile(slow, 0.99)).toBe(5_000);
  });

  it("reports a known latency set per minute and variant, in the right buckets", async () => {
    const recorder = createMinuteStatsRecorder({ db: tdb.db, flushIntervalMs: 60_000 });
    const at = minuteAgo(1);
    // 1..100 ms: the true p50 is 50.5, p95 95.5, p99 99.5.
    for (let ms = 1; ms <= 100; ms++) recorder.record({ orgId: org.org.id, endpointId, revision: 1, variant: "known", latencyMs: ms, error: ms > 98, at });
    recorder.record({ orgId: org.org.id, endpointId, revision: 1, variant: "old", latencyMs: 1, error: false, at: minuteAgo(120) });
    await recorder.close();

    const points = await endpointTraffic(ctx, "scorer", { minutes: 2 });
    expect(points.map((p) => p.variant)).toEqual(["known"]);
    const [p] = points;
    expect(p).toMatchObject({ minute: at, variant: "known", requests: 100, errors: 2, meanMs: 50.5 });
    // Bucket (25, 50] holds 26..50 and (50, 100] holds 51..100: p50 is at its upper end, p95/p99 inside the second.
    expect(p?.p50Ms).toBe(50);
    expect(p?.p95Ms).toBe(95);
    expect(p?.p99Ms).toBe(99);
    expect((await endpointTraffic(ctx, "scorer", { minutes: 180 })).map((x) => x.variant)).toContain("old");
  });

  it("validates minutes, and is NOT_FOUND for another org's endpoint (service and tRPC)", async () => {
    await expect(endpointTraffic(ctx, "scorer", { minutes: 0 })).rejects.toMatchObject({ code: "INVALID_INPUT", field: "minutes" });
    await expect(endpointTraffic(ctx, "scorer", { minutes: 1_441 })).rejects.toMatchObject({ code: "INVALID_INPUT", field: "minutes" });
    await expect(endpointTraffic(fixtureContext(tdb.db, other), "scorer")).rejects.toMatchObject({ code: "NOT_FOUND" });
    const viewer = callerFor(tdb.db, { userId: org.users.viewer.id, orgSlug: org.slug }).endpoint;
    expect((await viewer.traffic({ name: "scorer", minutes: 10 })).map((x) => x.variant)).toContain("known");
    await expectDenied(callerFor(tdb.db, { userId: other.users.owner.id, orgSlug: other.slug }).endpoint.traffic({ name: "scorer" }), ["NOT_FOUND"]);
    await expectDenied(viewer.traffic({ name: "scorer", minutes: 2_000 }), ["BAD_REQUEST"]);
  });
});
