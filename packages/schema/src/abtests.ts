import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

import { users } from "./auth";
import { idColumn, timestamps } from "./common";
import { orgRef } from "./org";
import { endpointRef, endpoints } from "./serving";

/*
 * An A/B test ties an endpoint to a traffic policy over two or more model versions for a while,
 * with a hypothesis, a primary metric, guardrails and a planned sample. Its traffic lives in the
 * prediction log (variant per row) and its outcomes in the feedback; results are computed from
 * those, never stored. At most one test runs on an endpoint at a time.
 */

export const abTestStatuses = ["running", "stopped", "promoted", "rolled_back"] as const;
export type AbTestStatus = (typeof abTestStatuses)[number];
export const abTestKinds = ["split", "canary", "shadow", "bandit"] as const;
export type AbTestKind = (typeof abTestKinds)[number];
/** conversion and mean_reward come from feedback rewards or labels; the others compare predictions with labels. */
export const abTestMetrics = ["conversion", "mean_reward", "accuracy", "log_loss", "rmse"] as const;
export type AbTestMetric = (typeof abTestMetrics)[number];
export const abTestGuardrails = ["error_rate", "p99_latency"] as const;
export type AbTestGuardrail = (typeof abTestGuardrails)[number];

export type AbTestVariant = { name: string; modelVersionId: string; model: string; version: number; via?: string; weight: number };
/** The power calculation behind `unitsPerVariant`. */
export type AbTestPlan = { baseline: number; minimumDetectableEffect: number; alpha: number; power: number; unitsPerVariant: number };

export const abTests = pgTable(
  "ab_tests",
  {
    id: idColumn(),
    orgId: orgRef(),
    endpointId: endpointRef(),
    name: text().notNull(),
    hypothesis: text(),
    kind: text({ enum: abTestKinds }).notNull(),
    status: text({ enum: abTestStatuses }).notNull().default("running"),
    /** The first variant is the control. */
    variants: jsonb().$type<AbTestVariant[]>().notNull(),
    primaryMetric: text({ enum: abTestMetrics }).notNull(),
    guardrails: jsonb().$type<AbTestGuardrail[]>().notNull().default([]),
    plan: jsonb().$type<AbTestPlan>().notNull(),
    /** The alias a promotion moves to the winning version (e.g. champion), when set. */
    promoteAlias: text(),
    startedAt: timestamp({ withTimezone: true, mode: "date" })
      .notNull()
      .default(sql`now()`),
    stoppedAt: timestamp({ withTimezone: true, mode: "date" }),
    decision: text(),
    decidedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    decidedByLabel: text(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdByLabel: text().notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex().on(t.orgId, t.name),
    uniqueIndex("ab_tests_one_running_per_endpoint").on(t.endpointId).where(sql`status = 'running'`),
    index().on(t.orgId, t.createdAt),
  ],
);

export const alertSeverities = ["info", "warning", "critical"] as const;
export type AlertSeverity = (typeof alertSeverities)[number];
export const alertStatuses = ["firing", "resolved"] as const;

/**
 * Something a person should know about an endpoint: a canary rolled back (here), and later
 * monitors' findings. While one alert with the same `fingerprint` is firing, raising it again
 * updates that one (de-duplication) instead of adding another.
 */
export const alerts = pgTable(
  "alerts",
  {
    id: idColumn(),
    orgId: orgRef(),
    endpointId: uuid().references(() => endpoints.id, { onDelete: "cascade" }),
    /** What raised it: `canary`, a monitor's kind … */
    source: text().notNull(),
    fingerprint: text().notNull(),
    severity: text({ enum: alertSeverities }).notNull(),
    status: text({ enum: alertStatuses }).notNull().default("firing"),
    title: text().notNull(),
    /** The numbers behind it (what was measured, against which threshold). */
    evidence: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    firedAt: timestamp({ withTimezone: true, mode: "date" })
      .notNull()
      .default(sql`now()`),
    lastSeenAt: timestamp({ withTimezone: true, mode: "date" })
      .notNull()
      .default(sql`now()`),
    resolvedAt: timestamp({ withTimezone: true, mode: "date" }),
    acknowledgedAt: timestamp({ withTimezone: true, mode: "date" }),
    acknowledgedBy: text(),
    ...timestamps(),
  },
  (t) => [uniqueIndex("alerts_one_firing_per_fingerprint").on(t.orgId, t.fingerprint).where(sql`status = 'firing'`), index().on(t.orgId, t.firedAt)],
);
