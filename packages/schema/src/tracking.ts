import { sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { bigint, bigserial, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

import { users } from "./auth";
import { datasetVersions } from "./datasets";
import { createdAt, idColumn } from "./common";
import { orgs } from "./org";

/*
 * Experiment tracking. MLflow's model: experiments hold runs; runs hold write-once params,
 * overwritable tags, append-only metric history and artifacts. Times are epoch milliseconds
 * (bigint), as on MLflow's wire. Every row carries org_id.
 */

export const lifecycleStages = ["active", "deleted"] as const;
export type LifecycleStage = (typeof lifecycleStages)[number];
export const runStatuses = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;
export type RunStatus = (typeof runStatuses)[number];

const orgId = () =>
  uuid()
    .notNull()
    .references(() => orgs.id, { onDelete: "cascade" });
const ms = () => bigint({ mode: "number" });
/**
 * org_id on the high-volume metric tables carries no foreign key: a row per metric point pays
 * for every FK check on ingest, and deletion cascades through the run anyway.
 */
const orgIdNoFk = () => uuid().notNull();
/** The owning run; its rows go with it. */
const runRef = () =>
  uuid()
    .notNull()
    .references(() => runs.id, { onDelete: "cascade" });

export const experiments = pgTable(
  "experiments",
  {
    id: idColumn(),
    orgId: orgId(),
    /** Unique per org, deleted experiments included (as MLflow). */
    name: text().notNull(),
    description: text(),
    artifactLocation: text().notNull(),
    lifecycleStage: text({ enum: lifecycleStages }).notNull().default("active"),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    creationTime: ms().notNull(),
    lastUpdateTime: ms().notNull(),
  },
  (t) => [uniqueIndex().on(t.orgId, t.name), index().on(t.orgId, t.lifecycleStage, t.id)],
);

export const experimentTags = pgTable(
  "experiment_tags",
  {
    orgId: orgId(),
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    key: text().notNull(),
    value: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.key] })],
);

export const runs = pgTable(
  "runs",
  {
    id: idColumn(),
    orgId: orgId(),
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    name: text().notNull(),
    status: text({ enum: runStatuses }).notNull().default("RUNNING"),
    startTime: ms().notNull(),
    endTime: ms(),
    /** MLflow's user_id (free text: the `mlflow.user` tag or the client's login). */
    userId: text(),
    /** The Gantry user or key creator who created it. */
    authorId: uuid().references(() => users.id, { onDelete: "set null" }),
    /** Where it was logged from: `mlflow`, `client`, `worker`, or a source name. */
    source: text(),
    parentRunId: uuid(),
    lifecycleStage: text({ enum: lifecycleStages }).notNull().default("active"),
    deletedTime: ms(),
  },
  (t) => [index().on(t.orgId, t.experimentId, t.lifecycleStage, t.startTime), index().on(t.parentRunId)],
);

export const runParams = pgTable(
  "run_params",
  {
    orgId: orgId(),
    runId: runRef(),
    key: text().notNull(),
    value: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index().on(t.orgId, t.key, t.value)],
);

export const runTags = pgTable(
  "run_tags",
  {
    orgId: orgId(),
    runId: runRef(),
    key: text().notNull(),
    value: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] })],
);

/**
 * Append-only metric history in chunks: one row per (run, key) per logged batch, its points as parallel
 * arrays in the order they were logged. Ingest writes one row where a row per point would cost
 * an index entry each; reads unnest the chunks of one (run, key) and order by (step, timestamp).
 * `first_step`/`last_step` let a step range skip whole chunks. NaN and ±Infinity are stored as
 * PostgreSQL's own float values.
 */
export const metricChunks = pgTable(
  "metric_chunks",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    orgId: orgIdNoFk(),
    runId: runRef(),
    key: text().notNull(),
    firstStep: ms().notNull(),
    lastStep: ms().notNull(),
    count: integer().notNull(),
    steps: bigint({ mode: "number" }).array().notNull(),
    values: doublePrecision().array().notNull(),
    timestamps: bigint({ mode: "number" }).array().notNull(),
  },
  (t) => [index().on(t.runId, t.key, t.firstStep)],
);

/** The latest value per (run, key): by step, then timestamp, then value (MLflow's SQL store). */
export const latestMetrics = pgTable(
  "latest_metrics",
  {
    orgId: orgIdNoFk(),
    runId: runRef(),
    key: text().notNull(),
    value: doublePrecision().notNull(),
    timestamp: ms().notNull(),
    step: ms().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index().on(t.orgId, t.key, t.value)],
);

/**
 * Chart summaries kept ahead of the query: per (run, key, level) the min and max point of each
 * bucket of 64·4^level steps (finite values only). A chart reads one level's buckets: ~1,000
 * points whatever the history's length.
 */
export const metricBuckets = pgTable(
  "metric_buckets",
  {
    orgId: orgIdNoFk(),
    runId: runRef(),
    key: text().notNull(),
    level: integer().notNull(),
    bucket: ms().notNull(),
    count: integer().notNull(),
    /** First and last step seen in the bucket: the history's extent without a scan. */
    firstStep: ms().notNull(),
    lastStep: ms().notNull(),
    minValue: doublePrecision().notNull(),
    minStep: ms().notNull(),
    minTimestamp: ms().notNull(),
    maxValue: doublePrecision().notNull(),
    maxStep: ms().notNull(),
    maxTimestamp: ms().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key, t.level, t.bucket] })],
);

/** Dataset inputs of a run (MLflow log-inputs); linked to a dataset version once datasets exist. */
export const runInputs = pgTable(
  "run_inputs",
  {
    id: idColumn(),
    orgId: orgId(),
    runId: runRef(),
    name: text().notNull(),
    digest: text().notNull(),
    sourceType: text().notNull(),
    source: text().notNull(),
    schema: text(),
    profile: text(),
    tags: jsonb().$type<{ key: string; value: string }[]>().notNull().default([]),
    /** The Gantry dataset version this input names, when it names one (by digest or by source). */
    datasetVersionId: uuid().references((): AnyPgColumn => datasetVersions.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.runId, t.name, t.digest), index().on(t.datasetVersionId)],
);

/** A stored file: its relative path (`/`-separated, no `..`) and where its bytes are (sha256). */
const artifactFileColumns = () => ({
  path: text().notNull(),
  sha256: text().notNull(),
  size: bigint({ mode: "number" }).notNull(),
  contentType: text(),
  createdAt: timestamp({ withTimezone: true, mode: "date" }).notNull().default(sql`now()`),
});

/** One row per artifact file of a run; the bytes live in the content-addressed store by sha256. */
export const artifacts = pgTable(
  "artifacts",
  {
    orgId: orgId(),
    runId: runRef(),
    ...artifactFileColumns(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.path] }), index().on(t.sha256)],
);

export const loggedModelStatuses = ["LOGGED_MODEL_PENDING", "LOGGED_MODEL_READY", "LOGGED_MODEL_UPLOAD_FAILED"] as const;

/** MLflow 3 LoggedModels: a model logged from a run (or on its own), before any registration. */
export const loggedModels = pgTable(
  "logged_models",
  {
    id: idColumn(),
    orgId: orgId(),
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    name: text().notNull(),
    modelType: text(),
    sourceRunId: uuid().references(() => runs.id, { onDelete: "set null" }),
    status: text({ enum: loggedModelStatuses }).notNull().default("LOGGED_MODEL_PENDING"),
    params: jsonb().$type<Record<string, string>>().notNull().default({}),
    tags: jsonb().$type<Record<string, string>>().notNull().default({}),
    creationTime: ms().notNull(),
    lastUpdateTime: ms().notNull(),
  },
  (t) => [index().on(t.orgId, t.experimentId, t.creationTime)],
);

/** Artifact files of a logged model (same content-addressed store as run artifacts). */
export const loggedModelArtifacts = pgTable(
  "logged_model_artifacts",
  {
    orgId: orgId(),
    modelId: uuid()
      .notNull()
      .references(() => loggedModels.id, { onDelete: "cascade" }),
    ...artifactFileColumns(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.path] })],
);
