import { afterAll, describe, expect, it } from "vitest";

import { createDatabase, sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { newId } from "@gantry/schema";

import { until } from "../testing/poll";
import { startTcpProxy } from "../testing/tcp-proxy";
import type { PredictionLogRow } from "./prediction-log";
import { createPredictionLogWriter, dropExpiredPredictionPartitions, ensurePredictionPartitions } from "./prediction-log";

/* The prediction log: batching, back-pressure, database outages, daily partitions. */

const tdb = await createTestDatabase();
afterAll(() => tdb.drop());

const endpointId = newId();
const orgId = newId();
const modelVersionId = newId();
const quiet = () => undefined;

const row = (requestId: string, rowIndex = 0, createdAt = new Date()): PredictionLogRow => ({
  createdAt,
  requestId,
  rowIndex,
  orgId,
  endpointId,
  revision: 1,
  variant: "default",
  modelVersionId,
  unitId: rowIndex % 2 ? null : `user-${rowIndex}`,
  features: { x: rowIndex, note: `it's "quoted", {braced} \\ and ünïcode` },
  outputs: { score: rowIndex / 10 },
  latencyMs: 1.5,
  status: 200,
  error: null,
});

/** Rows of the request ids with `prefix`: total and distinct keys. */
async function counted(prefix: string): Promise<{ rows: number; distinct: number }> {
  const [r] = (await tdb.db.execute(
    sql`select count(*)::int as rows, count(distinct (request_id, row_index))::int as distinct from prediction_log where request_id like ${`${prefix}%`}`,
  )) as unknown as { rows: number; distinct: number }[];
  return r ?? { rows: 0, distinct: 0 };
}

describe("prediction log writer", () => {
  it("writes rows appended in many small appends exactly once, and round-trips every column", async () => {
    const writer = createPredictionLogWriter({ db: tdb.db, maxRows: 20_000, batchRows: 500, flushIntervalMs: 20, log: quiet });
    for (let i = 0; i < 3_000; i++) writer.append([row(`small-${i}`, 0), row(`small-${i}`, 1)]);
    await until(async () => writer.stats(), (s) => s.pending === 0, "the writer to drain");
    expect(await counted("small-")).toEqual({ rows: 6_000, distinct: 6_000 });
    expect(writer.stats()).toMatchObject({ written: 6_000, pending: 0, failedFlushes: 0 });

    const [stored] = (await tdb.db.execute(sql`select * from prediction_log where request_id = 'small-7' and row_index = 1`)) as unknown as Record<string, unknown>[];
    expect(stored).toMatchObject({
      request_id: "small-7",
      row_index: 1,
      org_id: orgId,
      endpoint_id: endpointId,
      variant: "default",
      unit_id: null,
      features: { x: 1, note: `it's "quoted", {braced} \\ and ünïcode` },
      outputs: { score: 0.1 },
      latency_ms: 1.5,
      status: 200,
      error: null,
    });
    expect((await writer.close(5_000)).unwritten).toBe(0);
  });

  it("has no room past maxRows, refuses an append then, and close flushes what is pending", async () => {
    const writer = createPredictionLogWriter({ db: tdb.db, maxRows: 10, batchRows: 1_000, flushIntervalMs: 60_000, log: quiet });
    writer.append(Array.from({ length: 8 }, (_, i) => row(`full-${i}`)));
    expect(writer.hasRoom(2)).toBe(true);
    expect(writer.hasRoom(3)).toBe(false);
    expect(() => writer.append([row("full-8"), row("full-9"), row("full-10")])).toThrow(/full/);
    expect(writer.pending()).toBe(8);
    expect(await writer.close(10_000)).toEqual({ unwritten: 0 });
    expect(await counted("full-")).toEqual({ rows: 8, distinct: 8 });
    expect(writer.hasRoom(1)).toBe(false);
    expect(() => writer.append([row("late")])).toThrow(/closed/);
  });

  it("keeps rows through a database outage and writes each exactly once when it is back", async () => {
    const proxy = await startTcpProxy(tdb.url);
    const client = createDatabase({ url: proxy.url, max: 2, applicationName: "gantry-test-proxied" });
    const messages: string[] = [];
    const writer = createPredictionLogWriter({ db: client.db, maxRows: 100_000, batchRows: 50, flushIntervalMs: 20, log: (_level, message) => messages.push(message) });
    try {
      let n = 0;
      const appendSome = (count: number) => {
        for (let i = 0; i < count; i++, n++) writer.append([row(`outage-${n}`)]);
      };
      appendSome(500);
      await until(async () => writer.stats(), (s) => s.written > 0, "a first write through the proxy");
      await proxy.cut();
      // Keep appending while the database is unreachable, for about two seconds.
      const cutUntil = Date.now() + 2_000;
      while (Date.now() < cutUntil) {
        appendSome(100);
        await new Promise((r) => setTimeout(r, 50));
      }
      const during = await until(async () => writer.stats(), (s) => s.failedFlushes > 0 && s.pending > 0, "flushes to fail during the outage");
      expect(during.pending).toBeGreaterThan(0);
      await proxy.restore();
      appendSome(200);
      await until(async () => writer.stats(), (s) => s.pending === 0, "the writer to catch up after the outage");
      expect(await counted("outage-")).toEqual({ rows: n, distinct: n });
      expect(writer.stats().written).toBe(n);
      // Logged once when the outage began and once when it ended, not per retry.
      expect(messages.filter((m) => /failing/.test(m))).toHaveLength(1);
      expect(messages.filter((m) => /recovered/.test(m))).toHaveLength(1);
      expect(await writer.close(5_000)).toEqual({ unwritten: 0 });
    } finally {
      await writer.close(0);
      await client.close();
      await proxy.close();
    }
  }, 120_000);

  it("drops only the rows the database refuses for their data, instead of blocking the queue", async () => {
    const warnings: string[] = [];
    const writer = createPredictionLogWriter({ db: tdb.db, maxRows: 100, flushIntervalMs: 60_000, log: (_level, message) => warnings.push(message) });
    writer.append([row("poison-1"), { ...row("poison-2"), features: { text: "nul \u0000 inside" } }, row("poison-3")]);
    await writer.flush();
    expect(await counted("poison-")).toEqual({ rows: 2, distinct: 2 });
    expect(writer.stats()).toMatchObject({ written: 2, pending: 0, rejected: 1 });
    expect(warnings).toEqual([expect.stringMatching(/refused/)]);
    await writer.close(1_000);
  });

  it("close gives up at its timeout while the database is down and says how many rows remain", async () => {
    const proxy = await startTcpProxy(tdb.url);
    const client = createDatabase({ url: proxy.url, max: 1 });
    try {
      const writer = createPredictionLogWriter({ db: client.db, maxRows: 100, flushIntervalMs: 60_000, log: quiet });
      await proxy.cut();
      writer.append([row("stranded-1"), row("stranded-2")]);
      expect(await writer.close(300)).toEqual({ unwritten: 2 });
    } finally {
      await client.close();
      await proxy.close();
    }
  });
});

describe("prediction log partitions", () => {
  const partitionsOf = async (prefix: string) =>
    (await tdb.db.execute(
      sql`select tableoid::regclass::text as partition, count(*)::int as rows from prediction_log where request_id like ${`${prefix}%`} group by 1 order by 1`,
    )) as unknown as { partition: string; rows: number }[];

  it("puts rows of two UTC days in two daily partitions, made by the writer", async () => {
    const writer = createPredictionLogWriter({ db: tdb.db, maxRows: 100, flushIntervalMs: 60_000, log: quiet });
    writer.append([row("days-1", 0, new Date("2026-01-01T23:59:59.999Z")), row("days-2", 0, new Date("2026-01-02T00:00:00Z")), row("days-3", 0, new Date("2026-01-02T12:00:00Z"))]);
    await writer.flush();
    expect(await partitionsOf("days-")).toEqual([
      { partition: "prediction_log_20260101", rows: 1 },
      { partition: "prediction_log_20260102", rows: 2 },
    ]);

    // A partition dropped behind the writer's back is made again (the insert fails with 23514 first).
    await tdb.db.execute(sql`drop table prediction_log_20260101`);
    writer.append([row("again-1", 0, new Date("2026-01-01T08:00:00Z"))]);
    await writer.flush();
    expect(await partitionsOf("again-")).toEqual([{ partition: "prediction_log_20260101", rows: 1 }]);
    await writer.close(1_000);
  });

  it("tolerates two processes creating the same partitions at once", async () => {
    const other = createDatabase({ url: tdb.url, max: 1 });
    try {
      const from = new Date("2026-02-10T15:00:00Z");
      const [a, b] = await Promise.all([ensurePredictionPartitions(tdb.db, { from, days: 3 }), ensurePredictionPartitions(other.db, { from, days: 3 })]);
      expect(a).toEqual(["prediction_log_20260210", "prediction_log_20260211", "prediction_log_20260212"]);
      expect(b).toEqual(a);
    } finally {
      await other.close();
    }
  });

  it("retention drops only the partitions wholly older than it", async () => {
    await ensurePredictionPartitions(tdb.db, { from: new Date("2025-12-30T00:00:00Z"), days: 4 });
    const dropped = await dropExpiredPredictionPartitions(tdb.db, { retentionDays: 1.5, now: new Date("2026-01-02T12:00:00Z") });
    expect(dropped).toEqual(["prediction_log_20251230", "prediction_log_20251231"]);
    const left = (await tdb.db.execute(
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'prediction_log'::regclass order by 1`,
    )) as unknown as { name: string }[];
    expect(left.map((r) => r.name)).toEqual(expect.arrayContaining(["prediction_log_20260101", "prediction_log_20260102", "prediction_log_20260210"]));
    expect(left.map((r) => r.name)).not.toContain("prediction_log_20251231");
    expect(await dropExpiredPredictionPartitions(tdb.db, { retentionDays: 1.5, now: new Date("2026-01-02T12:00:00Z") })).toEqual([]);
  });
});
