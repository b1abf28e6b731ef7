import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { z } from "zod";

import { users } from "./auth";
import { createdAt, idColumn, timestamps } from "./common";
import { orgs } from "./org";
import { runs } from "./tracking";
import { ZTrainingSpec } from "./training";

/*
 * User-facing jobs: what the portal shows (kind, spec, status, progress, logs, run, error).
 * pg-boss holds the queue mechanics; this table is the truth about a job. A worker owns a running
 * job while its heartbeat is fresh; a stale one is taken again by another worker.
 */

export const jobKinds = ["train", "sweep"] as const;
export type JobKind = (typeof jobKinds)[number];
export const jobStatuses = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobStatus = (typeof jobStatuses)[number];
export const finishedJobStatuses: readonly JobStatus[] = ["succeeded", "failed", "cancelled"];

export type JobProgress = {
  /** 0..1 */
  fraction: number;
  epoch?: number;
  epochs?: number;
  /** Sweeps: children finished / planned. */
  done?: number;
  total?: number;
  etaMs?: number;
  /** Last epoch's figures, for the live view. */
  metrics?: Record<string, number>;
};

export const jobs = pgTable(
  "jobs",
  {
    id: idColumn(),
    orgId: uuid()
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    kind: text({ enum: jobKinds }).notNull(),
    status: text({ enum: jobStatuses }).notNull().default("queued"),
    /** The validated spec (train: TrainingSpec with the dataset version resolved; sweep: SweepConfig). */
    spec: jsonb().$type<Record<string, unknown>>().notNull(),
    progress: jsonb().$type<JobProgress>().notNull().default({ fraction: 0 }),
    runId: uuid().references(() => runs.id, { onDelete: "set null" }),
    /** A sweep's children point at it. */
    parentJobId: uuid(),
    scheduleId: uuid(),
    /** What the job produced, e.g. a sweep's best child and its metric. */
    result: jsonb().$type<Record<string, unknown>>(),
    error: text(),
    cancelRequested: boolean().notNull().default(false),
    /** Times a worker has started it (a retake after a crash counts). */
    attempts: integer().notNull().default(0),
    workerId: text(),
    heartbeatAt: timestamp({ withTimezone: true, mode: "date" }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    startedAt: timestamp({ withTimezone: true, mode: "date" }),
    finishedAt: timestamp({ withTimezone: true, mode: "date" }),
    ...timestamps(),
  },
  (t) => [
    index().on(t.orgId, t.createdAt),
    index().on(t.parentJobId),
    index().on(t.scheduleId),
    index("jobs_running_heartbeat_idx").on(t.heartbeatAt).where(sql`status = 'running'`),
  ],
);

export const jobLogs = pgTable(
  "job_logs",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    orgId: uuid().notNull(),
    jobId: uuid()
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    level: text({ enum: ["info", "warn", "error"] })
      .notNull()
      .default("info"),
    message: text().notNull(),
    at: createdAt(),
  },
  (t) => [index().on(t.jobId, t.id)],
);

export const schedules = pgTable(
  "schedules",
  {
    id: idColumn(),
    orgId: uuid()
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** Five-field cron, evaluated in `timezone`. */
    cron: text().notNull(),
    timezone: text().notNull().default("UTC"),
    /** A TrainingSpec whose dataset may say `latest`: resolved at each firing. */
    spec: jsonb().$type<Record<string, unknown>>().notNull(),
    paused: boolean().notNull().default(false),
    nextFireAt: timestamp({ withTimezone: true, mode: "date" }),
    lastFiredAt: timestamp({ withTimezone: true, mode: "date" }),
    lastJobId: uuid(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [index().on(t.orgId, t.name), index("schedules_due_idx").on(t.nextFireAt).where(sql`paused = false`)],
);

/* Sweeps: grid or random search over spec fields, a parent run with child runs. */

/** A value set for one spec field, addressed by its dotted path (`learningRate`, `model.dropout`, `model.hiddenLayers`). */
export const ZSweepParameter = z.union([
  z.strictObject({ values: z.array(z.unknown()).min(1).max(1000) }),
  z.strictObject({ min: z.number(), max: z.number(), scale: z.enum(["linear", "log"]).default("linear"), integer: z.boolean().default(false) }),
]);

export const ZSweepConfig = z
  .strictObject({
    name: z.string().min(1).max(250).optional(),
    base: ZTrainingSpec,
    method: z.enum(["grid", "random"]).default("grid"),
    parameters: z.record(z.string().min(1), ZSweepParameter).refine((p) => Object.keys(p).length > 0, { error: "parameters must name at least one field" }),
    /** Random search: how many trials; grid: a cap on the grid size. */
    maxRuns: z.number().int().min(1).max(500).default(20),
    concurrency: z.number().int().min(1).max(32).default(2),
    /** The metric that picks the best child, as logged on the child runs (e.g. `test_roc_auc`, `test_rmse`). */
    metric: z.string().min(1),
    goal: z.enum(["maximize", "minimize"]).default("maximize"),
    seed: z.number().int().min(0).default(0),
  })
  .refine((c) => c.method === "random" || Object.values(c.parameters).every((p) => "values" in p), {
    error: "a grid sweep needs a list of values for each parameter",
    path: ["parameters"],
  });
export type SweepConfigInput = z.input<typeof ZSweepConfig>;
export type SweepConfig = z.output<typeof ZSweepConfig>;
