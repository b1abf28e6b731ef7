import { doublePrecision, index, integer, jsonb, pgTable, primaryKey, real, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

import { createdAt, idColumn, timestamps } from "./common";
import { orgs } from "./org";
import { endpoints } from "./serving";

/*
 * What the serving layer records: every prediction (an append-only log), the feedback that
 * arrives for it later, and per-minute operations counters per endpoint and variant.
 */

/**
 * Upper bounds (ms) of the latency histogram buckets of `endpoint_minute_stats`, log-spaced;
 * the last bucket is unbounded. Changing it invalidates the stored histograms.
 */
export const LATENCY_BUCKETS_MS = [0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 25, 50, 100, 250, 500, 1000, 2500, 5000, Number.POSITIVE_INFINITY] as const;

/**
 * One row per predicted instance. The migration creates this table `PARTITION BY RANGE
 * (created_at)` with one partition per UTC day, made by the writer (`ensurePredictionPartitions`)
 * and dropped whole at the end of the retention. No foreign keys: they would cost a lookup per
 * inserted row on the hot path, and partitions are dropped, not deleted from.
 */
export const predictionLog = pgTable(
  "prediction_log",
  {
    createdAt: createdAt(),
    /** The request's id; one request may predict several rows (`rowIndex`). */
    requestId: text().notNull(),
    rowIndex: integer().notNull().default(0),
    orgId: uuid().notNull(),
    endpointId: uuid().notNull(),
    revision: integer().notNull(),
    variant: text().notNull(),
    modelVersionId: uuid().notNull(),
    /** The caller's unit of assignment (user, session), when it gave one. */
    unitId: text(),
    features: jsonb().$type<Record<string, unknown>>().notNull(),
    outputs: jsonb(),
    latencyMs: real().notNull(),
    /** HTTP status of the answer. */
    status: smallint().notNull(),
    error: text(),
  },
  // The partition key has to be part of every unique constraint of a partitioned table.
  (t) => [primaryKey({ columns: [t.createdAt, t.requestId, t.rowIndex] }), index().on(t.endpointId, t.createdAt), index().on(t.endpointId, t.requestId)],
);

const orgId = () =>
  uuid()
    .notNull()
    .references(() => orgs.id, { onDelete: "cascade" });
const endpointId = () =>
  uuid()
    .notNull()
    .references(() => endpoints.id, { onDelete: "cascade" });

/** Ground truth or reward for a logged prediction; it may arrive before the log row is written. */
export const predictionFeedback = pgTable(
  "prediction_feedback",
  {
    id: idColumn(),
    orgId: orgId(),
    endpointId: endpointId(),
    requestId: text().notNull(),
    rowIndex: integer().notNull().default(0),
    label: text(),
    reward: doublePrecision(),
    ...timestamps(),
  },
  (t) => [uniqueIndex().on(t.endpointId, t.requestId, t.rowIndex)],
);

/** Operations counters per endpoint, variant and UTC minute; flushes add to them. */
export const endpointMinuteStats = pgTable(
  "endpoint_minute_stats",
  {
    orgId: orgId(),
    endpointId: endpointId(),
    /** The deployment revision that served: a canary step is judged on its own revision's minutes. */
    revision: integer().notNull().default(0),
    variant: text().notNull(),
    minute: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    requests: integer().notNull(),
    errors: integer().notNull(),
    latencySumMs: doublePrecision().notNull(),
    /** Counts per bucket of `LATENCY_BUCKETS_MS`, same length and order. */
    latencyBuckets: integer().array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.endpointId, t.revision, t.variant, t.minute] })],
);
