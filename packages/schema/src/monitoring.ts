import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { z } from "zod";

import { alertSeverities } from "./abtests";
import { users } from "./auth";
import { createdAt, idColumn, timestamps } from "./common";
import { orgRef } from "./org";
import { endpointRef } from "./serving";

/*
 * Monitors watch an endpoint's traffic on a schedule: data drift (each feature against the
 * served version's training reference profile), prediction drift (the outputs, likewise),
 * performance (from the labels that arrived as feedback, and estimated without labels) and
 * service health (latency, errors, traffic). Each evaluation is a row of `monitor_results` (a
 * time series the dashboard draws); a finding fires an alert, a clean evaluation resolves it.
 */

export const monitorKinds = ["data_drift", "prediction_drift", "performance", "service"] as const;
export type MonitorKind = (typeof monitorKinds)[number];
export const monitorResultStatuses = ["ok", "drift", "breach", "no_data"] as const;
export type MonitorResultStatus = (typeof monitorResultStatuses)[number];

export const ZMonitorConfig = z.object({
  /** The window evaluated, ending now. */
  windowMinutes: z.number({ error: "config.windowMinutes must be a number" }).int().min(1).max(10_080).default(60),
  /** How often it runs (the scheduler ticks every minute). */
  everyMinutes: z.number({ error: "config.everyMinutes must be a number" }).int().min(1).max(1_440).default(5),
  /** Fewer predicted rows in the window than this: `no_data`, nothing judged. */
  minRows: z.number().int().min(1).default(100),
  /** Drift: the dataset drifts when at least this share of its features do (Evidently's default 0.5). */
  driftShare: z.number().gt(0).max(1).default(0.5),
  /** Drift: features to watch (default: every input of the signature). */
  features: z.array(z.string().min(1)).optional(),
  /** Drift: a distance at or above this is drift (Evidently: 0.1 for Wasserstein and Jensen–Shannon). */
  distanceThreshold: z.number().gt(0).default(0.1),
  /**
   * Drift: what the window is compared with: the served version's training reference profile, or
   * the endpoint's own traffic just before the window (`baselineMinutes` long, ending where the
   * window starts): a trailing production baseline, for drift against recent normal rather than
   * against training. Either way the bins are the reference profile's.
   */
  baseline: z.enum(["reference", "trailing"], { error: "config.baseline must be reference or trailing" }).default("reference"),
  /** Drift with a trailing baseline: its length (default a day). */
  baselineMinutes: z.number({ error: "config.baselineMinutes must be a number" }).int().min(1).max(43_200).default(1_440),
  /** Performance: how far a metric may fall below what the version scored on its test split before it is a breach. */
  maxMetricDrop: z.number().min(0).max(1).default(0.05),
  /** Performance: labelled rows (feedback) needed to judge the metrics from labels. */
  minLabels: z.number().int().min(1).default(50),
  /** Service: thresholds; unset ones are not checked. */
  maxP99Ms: z.number().positive().optional(),
  maxErrorRate: z.number().min(0).max(1).optional(),
  minRequests: z.number().int().min(0).optional(),
});
export type MonitorConfig = z.output<typeof ZMonitorConfig>;

export const monitors = pgTable(
  "monitors",
  {
    id: idColumn(),
    orgId: orgRef(),
    endpointId: endpointRef(),
    name: text().notNull(),
    kind: text({ enum: monitorKinds }).notNull(),
    config: jsonb().$type<MonitorConfig>().notNull(),
    severity: text({ enum: alertSeverities }).notNull().default("warning"),
    enabled: boolean().notNull().default(true),
    lastEvaluatedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [uniqueIndex().on(t.orgId, t.name), index().on(t.endpointId)],
);

/** Per feature (drift) or per check (service): what was measured against what. */
export type MonitorFinding = {
  name: string;
  test: string;
  statistic: number | null;
  threshold: number;
  flagged: boolean;
  /** Drift: the reference's and the window's shares per bin or category. */
  reference?: { labels: string[]; shares: number[] };
  current?: { labels: string[]; shares: number[] };
  note?: string;
};

export const monitorResults = pgTable(
  "monitor_results",
  {
    id: idColumn(),
    orgId: orgRef(),
    monitorId: uuid()
      .notNull()
      .references(() => monitors.id, { onDelete: "cascade" }),
    evaluatedAt: createdAt(),
    windowStart: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    windowEnd: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    status: text({ enum: monitorResultStatuses }).notNull(),
    rows: integer().notNull(),
    /** Drift: the share of drifted features; service: the worst ratio to its threshold. */
    score: jsonb().$type<Record<string, number>>().notNull().default({}),
    findings: jsonb().$type<MonitorFinding[]>().notNull().default([]),
    /** The model version whose reference the window was compared with. */
    modelVersionId: uuid(),
  },
  (t) => [index().on(t.monitorId, t.evaluatedAt)],
);

export const webhookEvents = ["alert.fired", "alert.resolved"] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/** Where alerts are pushed: each delivery is signed with the webhook's secret (HMAC-SHA256). */
export const webhooks = pgTable(
  "webhooks",
  {
    id: idColumn(),
    orgId: orgRef(),
    name: text().notNull(),
    url: text().notNull(),
    /** The signing secret (shown once at creation; kept because every delivery is signed with it). */
    secret: text().notNull(),
    events: jsonb().$type<WebhookEvent[]>().notNull(),
    enabled: boolean().notNull().default(true),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [uniqueIndex().on(t.orgId, t.name)],
);

export const webhookDeliveryStatuses = ["pending", "succeeded", "failed"] as const;

/** One event to one webhook: retried with backoff until it succeeds or runs out of attempts. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: idColumn(),
    orgId: orgRef(),
    webhookId: uuid()
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    event: text({ enum: webhookEvents }).notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    status: text({ enum: webhookDeliveryStatuses }).notNull().default("pending"),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
    lastStatusCode: integer(),
    lastError: text(),
    deliveredAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.status, t.nextAttemptAt), index().on(t.webhookId, t.createdAt)],
);
