import type { Database } from "@gantry/db";
import { sql } from "@gantry/db";

import { ensurePredictionPartitions, sqlState, utcDayStart } from "./prediction-partitions";

export { dropExpiredPredictionPartitions, ensurePredictionPartitions, predictionPartitionName } from "./prediction-partitions";

/** One predicted instance, as the serving path hands it to the writer. */
export type PredictionLogRow = {
  createdAt: Date;
  requestId: string;
  rowIndex: number;
  orgId: string;
  endpointId: string;
  revision: number;
  variant: string;
  modelVersionId: string;
  unitId: string | null;
  features: Record<string, unknown>;
  outputs: unknown;
  latencyMs: number;
  /** HTTP status of the answer. */
  status: number;
  error: string | null;
};

export type PredictionLogWriterOptions = {
  db: Database;
  /** Rows held in memory at most; past it the caller sheds load (`hasRoom` false → 429). */
  maxRows: number;
  /** Pending rows that start a flush before the timer does. */
  batchRows?: number;
  flushIntervalMs?: number;
  log?: (level: "warn" | "info", message: string, data?: Record<string, unknown>) => void;
};

export type PredictionLogWriter = {
  hasRoom(n: number): boolean;
  /** Never blocks, never drops; throws when there is no room (check `hasRoom` first). */
  append(rows: PredictionLogRow[]): void;
  pending(): number;
  /** Writes every pending row; throws if the database fails (the rows stay queued). */
  flush(): Promise<void>;
  /** Stops the timer, writes what it can within `timeoutMs`, and says how many rows were not. */
  close(timeoutMs: number): Promise<{ unwritten: number }>;
  stats(): { written: number; pending: number; failedFlushes: number; rejected: number };
};

/**
 * Rows per INSERT. Measured on the embedded PostgreSQL: about 80 ms per 5,000 rows through
 * `unnest`, against about 150 ms for COPY into a staging table (needed for ON CONFLICT).
 */
const STATEMENT_ROWS = 5_000;
const BACKOFF_FIRST_MS = 100;
const BACKOFF_MAX_MS = 2_000;

/**
 * An in-memory queue in front of `prediction_log`, flushed in the background so that logging
 * never adds a database round trip to a prediction. Rows are inserted with ON CONFLICT DO
 * NOTHING on (created_at, request_id, row_index): a batch retried after an ambiguous failure
 * (the commit happened, the answer was lost) cannot duplicate rows. While the database is down
 * rows stay queued in order and are retried with backoff; the caller's `hasRoom` check turns a
 * long outage into 429s instead of unbounded memory.
 */
export function createPredictionLogWriter(options: PredictionLogWriterOptions): PredictionLogWriter {
  const { db, maxRows, batchRows = 250, flushIntervalMs = 50 } = options;
  const log = options.log ?? ((level, message, data) => console[level](message, data ?? ""));
  let buffer: PredictionLogRow[] = [];
  const knownDays = new Set<number>();
  let inflight: Promise<void> | null = null;
  let written = 0;
  let failedFlushes = 0;
  let rejected = 0;
  let backoffMs = 0;
  let retryAt = 0;
  let failingSince: number | null = null;
  let closed = false;

  const timer = setInterval(() => kick(), flushIntervalMs);
  timer.unref();

  async function ensureDays(rows: PredictionLogRow[], force: boolean): Promise<void> {
    const days = new Set(rows.map((r) => utcDayStart(r.createdAt).getTime()));
    for (const day of days) {
      if (!force && knownDays.has(day)) continue;
      await ensurePredictionPartitions(db, { from: new Date(day), days: 1 });
      knownDays.add(day);
    }
  }

  async function insert(rows: PredictionLogRow[]): Promise<void> {
    await ensureDays(rows, false);
    try {
      await insertRows(db, rows);
    } catch (error) {
      // 23514: no partition for a row (dropped meanwhile, or made before a restore): make it, retry once.
      if (sqlState(error) !== "23514") throw error;
      await ensureDays(rows, true);
      await insertRows(db, rows);
    }
  }

  /** A batch the database refuses for its data (class 22: a NUL in a string, a bad uuid) would block the queue forever: write it row by row and drop only the rows that are refused. */
  async function insertRowByRow(rows: PredictionLogRow[]): Promise<number> {
    let refused = 0;
    for (const row of rows) {
      try {
        await insert([row]);
      } catch (error) {
        if (!sqlState(error)?.startsWith("22")) throw error;
        refused++;
        log("warn", "prediction log: row refused by the database, dropped", { requestId: row.requestId, rowIndex: row.rowIndex, error: String(error) });
      }
    }
    return refused;
  }

  async function writeAll(): Promise<void> {
    while (buffer.length) {
      const batch = buffer.slice(0, STATEMENT_ROWS);
      let refused = 0;
      try {
        try {
          await insert(batch);
        } catch (error) {
          if (!sqlState(error)?.startsWith("22")) throw error;
          refused = await insertRowByRow(batch);
        }
      } catch (error) {
        failedFlushes++;
        backoffMs = backoffMs ? Math.min(backoffMs * 2, BACKOFF_MAX_MS) : BACKOFF_FIRST_MS;
        retryAt = Date.now() + backoffMs;
        setTimeout(() => kick(), backoffMs).unref();
        if (failingSince === null) {
          failingSince = Date.now();
          log("warn", "prediction log: writes are failing; rows stay queued and are retried", { pending: buffer.length, error: String(error) });
        }
        throw error;
      }
      buffer = buffer.slice(batch.length);
      written += batch.length - refused;
      rejected += refused;
      if (failingSince !== null) {
        log("info", "prediction log: writes recovered", { downMs: Date.now() - failingSince, failedFlushes, pending: buffer.length });
        failingSince = null;
      }
      backoffMs = 0;
      retryAt = 0;
    }
  }

  /** The one flush in flight; a second caller waits for it (it drains what was appended meanwhile too). */
  function drain(): Promise<void> {
    inflight ??= writeAll().finally(() => {
      inflight = null;
    });
    return inflight;
  }

  function kick(): void {
    if (closed || inflight || !buffer.length || Date.now() < retryAt) return;
    drain().catch(() => undefined);
  }

  return {
    hasRoom: (n) => !closed && buffer.length + n <= maxRows,
    append(rows) {
      if (closed) throw new Error("prediction log writer is closed");
      if (buffer.length + rows.length > maxRows) throw new Error(`prediction log buffer is full (${buffer.length} of ${maxRows} rows pending)`);
      for (const row of rows) buffer.push(row);
      if (buffer.length >= batchRows) kick();
    },
    pending: () => buffer.length,
    flush: () => drain(),
    async close(timeoutMs) {
      closed = true;
      clearInterval(timer);
      const deadline = Date.now() + timeoutMs;
      while (buffer.length && Date.now() < deadline) {
        let timeout: NodeJS.Timeout | undefined;
        const expired = new Promise<"expired">((resolve) => {
          timeout = setTimeout(() => resolve("expired"), deadline - Date.now());
        });
        const outcome = await Promise.race([drain().then(() => "done" as const, () => "failed" as const), expired]);
        clearTimeout(timeout);
        if (outcome === "failed") await new Promise((r) => setTimeout(r, Math.min(backoffMs, Math.max(0, deadline - Date.now()))));
      }
      return { unwritten: buffer.length };
    },
    stats: () => ({ written, pending: buffer.length, failedFlushes, rejected }),
  };
}

/**
 * One multi-row INSERT: each column travels as one typed array and `unnest` zips them into rows.
 * jsonb and timestamps travel as text and are cast in SQL (drizzle's postgres-js driver passes
 * timestamp arrays through unserialised).
 */
async function insertRows(db: Database, rows: PredictionLogRow[]): Promise<void> {
  const col = <T>(pick: (r: PredictionLogRow) => T) => sql.param(rows.map(pick));
  await db.execute(sql`
    insert into prediction_log (created_at, request_id, row_index, org_id, endpoint_id, revision, variant, model_version_id, unit_id, features, outputs, latency_ms, status, error)
    select t.created_at, t.request_id, t.row_index, t.org_id, t.endpoint_id, t.revision, t.variant, t.model_version_id, t.unit_id, t.features::jsonb, t.outputs::jsonb, t.latency_ms, t.status, t.error
    from unnest(
      ${col((r) => r.createdAt.toISOString())}::text[]::timestamptz[], ${col((r) => r.requestId)}::text[], ${col((r) => r.rowIndex)}::int[],
      ${col((r) => r.orgId)}::uuid[], ${col((r) => r.endpointId)}::uuid[], ${col((r) => r.revision)}::int[], ${col((r) => r.variant)}::text[],
      ${col((r) => r.modelVersionId)}::uuid[], ${col((r) => r.unitId)}::text[], ${col((r) => JSON.stringify(r.features))}::text[],
      ${col((r) => (r.outputs === undefined ? null : JSON.stringify(r.outputs)))}::text[], ${col((r) => r.latencyMs)}::real[],
      ${col((r) => r.status)}::smallint[], ${col((r) => r.error)}::text[]
    ) as t(created_at, request_id, row_index, org_id, endpoint_id, revision, variant, model_version_id, unit_id, features, outputs, latency_ms, status, error)
    on conflict do nothing`);
}
