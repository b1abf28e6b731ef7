import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { z } from "zod";

import { users } from "./auth";
import { idColumn, timestamps } from "./common";
import { orgRef } from "./org";
import { registeredModels } from "./registry";
import { endpointRef } from "./serving";

/*
 * Retraining: a policy per registered model says when to retrain (an alert of its endpoint's
 * monitors, or by hand), how (a training spec template on the latest version of its dataset),
 * what the challenger must beat (a gate on the same holdout) and how it rolls out (a canary that
 * promotes or rolls back by itself). Each run of the loop keeps its timeline.
 */

export const retrainTriggers = ["manual", "data_drift", "prediction_drift", "service"] as const;
export const retrainRunStatuses = ["training", "gating", "rolling_out", "promoted", "rejected", "rolled_back", "failed"] as const;
export type RetrainRunStatus = (typeof retrainRunStatuses)[number];

export const ZRetrainGate = z.object({
  /** A test metric both models are scored on, on the challenger's holdout (e.g. test_roc_auc, test_rmse). */
  metric: z.string().regex(/^test_[a-z0-9_]+$/, { error: "gate.metric must be a test metric such as test_roc_auc or test_rmse" }),
  /** Higher is better (AUC, accuracy) or lower (rmse, log loss). */
  direction: z.enum(["higher", "lower"]).default("higher"),
  /** The challenger must beat the champion by at least this much. */
  margin: z.number().min(0).default(0),
});

export const ZRetrainRollout = z.object({
  steps: z.array(z.number().min(1).max(100)).min(1).default([10, 50, 100]),
  everyMinutes: z.number().positive().optional(),
  everyRequests: z.number().int().positive().optional(),
  maxErrorRate: z.number().min(0).max(1).default(0.05),
  maxP99Ms: z.number().positive().default(500),
  minRequests: z.number().int().min(1).default(20),
});

/**
 * Labelled production traffic added to the training data at each run: the endpoint's logged
 * predictions of the last `days` days whose feedback carries a label become rows of a new version
 * of the spec's dataset (the latest version plus those rows), and the job trains on that version.
 */
export const ZRetrainProductionRows = z.strictObject({
  enabled: z.boolean({ error: "must be true or false" }).default(true),
  days: z
    .number({ error: "must be a number of days" })
    .int({ error: "must be a whole number of days" })
    .min(1, { error: "must be at least 1 day" })
    .max(365, { error: "must be at most 365 days" })
    .default(7),
  /** The newest this many rows at most. */
  maxRows: z.number({ error: "must be a number of rows" }).int({ error: "must be a whole number of rows" }).min(1, { error: "must be at least 1" }).max(1_000_000, { error: "must be at most 1,000,000" }).optional(),
});
export type RetrainProductionRows = z.output<typeof ZRetrainProductionRows>;
export const productionRowsOff: RetrainProductionRows = { enabled: false, days: 7 };

export const retrainPolicies = pgTable(
  "retrain_policies",
  {
    id: idColumn(),
    orgId: orgRef(),
    name: text().notNull(),
    modelId: uuid()
      .notNull()
      .references(() => registeredModels.id, { onDelete: "cascade" }),
    endpointId: endpointRef(),
    triggers: jsonb().$type<(typeof retrainTriggers)[number][]>().notNull(),
    /** A training spec without `register` (the loop registers the challenger itself); its dataset is re-pinned to the latest version at each run. */
    spec: jsonb().$type<Record<string, unknown>>().notNull(),
    gate: jsonb().$type<z.output<typeof ZRetrainGate>>().notNull(),
    rollout: jsonb().$type<z.output<typeof ZRetrainRollout>>().notNull(),
    /** No new run starts within this many minutes of the last one (a retraining storm stops here). */
    cooldownMinutes: integer().notNull().default(60),
    productionRows: jsonb().$type<RetrainProductionRows>().notNull().default(productionRowsOff),
    enabled: boolean().notNull().default(true),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [index().on(t.orgId, t.endpointId)],
);

/**
 * What a run added from production: the version it started from, the version it made (null when
 * no row qualified) and the time the rows were selected. The next run of the policy on that version
 * only adds rows logged or labelled after `asOf`, so a row is never added twice.
 */
export type RetrainRunProductionRows = { asOf: string; baseVersion: number; version: number | null; versionId: string | null; added: number; skipped: number };

export type RetrainTimelineEvent = { at: string; step: string; message: string; links?: Record<string, string | number> };

export const retrainRuns = pgTable(
  "retrain_runs",
  {
    id: idColumn(),
    orgId: orgRef(),
    policyId: uuid()
      .notNull()
      .references(() => retrainPolicies.id, { onDelete: "cascade" }),
    trigger: text().notNull(),
    alertId: uuid(),
    status: text({ enum: retrainRunStatuses }).notNull(),
    jobId: uuid(),
    challengerVersion: integer(),
    championVersion: integer(),
    abTestId: uuid(),
    gate: jsonb().$type<Record<string, unknown>>(),
    timeline: jsonb().$type<RetrainTimelineEvent[]>().notNull().default([]),
    productionRows: jsonb().$type<RetrainRunProductionRows>(),
    finishedAt: timestamp({ withTimezone: true, mode: "date" }),
    ...timestamps(),
  },
  (t) => [index().on(t.policyId, t.createdAt), index().on(t.status)],
);
