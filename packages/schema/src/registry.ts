import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { bigint, boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { z } from "zod";

import { users } from "./auth";
import { createdAt, idColumn, timestamps } from "./common";
import { datasetVersions } from "./datasets";
import { orgs } from "./org";
import { runs } from "./tracking";

/*
 * The model registry. A registered model is a name per org; its versions (1, 2, …) are made from
 * a run's pipeline artifact and keep that artifact's sha256, so a version outlives its run (the
 * bytes are content-addressed). Aliases (`champion`, `challenger`, …) name one version each and
 * replace MLflow's stages; every move is a row of `model_alias_events`.
 */

export const modelVersionStatuses = ["pending", "ready", "failed"] as const;
export type ModelVersionStatus = (typeof modelVersionStatuses)[number];

/** The input signature a version was registered with (the pipeline's `model/signature.json`). */
export type ModelSignature = {
  inputs: { name: string; type: string; required?: boolean; categories?: string[] }[];
  task?: string;
  target?: string;
  labels?: string[];
};

const orgId = () =>
  uuid()
    .notNull()
    .references(() => orgs.id, { onDelete: "cascade" });
const modelRef = () =>
  uuid()
    .notNull()
    .references((): AnyPgColumn => registeredModels.id, { onDelete: "cascade" });

export const registeredModels = pgTable(
  "registered_models",
  {
    id: idColumn(),
    orgId: orgId(),
    name: text().notNull(),
    description: text(),
    tags: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** The highest version number ever given: numbers are not reused after a delete (history names versions by number). */
    lastVersion: integer().notNull().default(0),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [uniqueIndex().on(t.orgId, t.name)],
);

export const modelVersions = pgTable(
  "model_versions",
  {
    id: idColumn(),
    orgId: orgId(),
    modelId: modelRef(),
    /** 1, 2, 3, … per model. */
    version: integer().notNull(),
    sourceRunId: uuid().references(() => runs.id, { onDelete: "set null" }),
    datasetVersionId: uuid().references(() => datasetVersions.id, { onDelete: "set null" }),
    /** The pipeline artifact's address in the content-addressed store: the version survives its run. */
    pipelineSha256: text().notNull(),
    pipelineSize: bigint({ mode: "number" }).notNull(),
    signature: jsonb().$type<ModelSignature>(),
    /** The run's latest metrics when the version was registered. */
    metrics: jsonb().$type<Record<string, number>>().notNull().default({}),
    status: text({ enum: modelVersionStatuses }).notNull().default("pending"),
    description: text(),
    /** Markdown. */
    modelCard: text(),
    tags: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** Hidden from pickers and from `latest`; still resolvable by number or alias. */
    archived: boolean().notNull().default(false),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.modelId, t.version), index().on(t.orgId, t.sourceRunId), index().on(t.pipelineSha256)],
);

export const modelAliases = pgTable(
  "model_aliases",
  {
    id: idColumn(),
    orgId: orgId(),
    modelId: modelRef(),
    alias: text().notNull(),
    versionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [uniqueIndex().on(t.modelId, t.alias), index().on(t.versionId)],
);

/**
 * Every alias move. Versions are named by number (not id), so the history reads the same after a
 * version is deleted; `toVersion` null is a removal.
 */
export const modelAliasEvents = pgTable(
  "model_alias_events",
  {
    id: idColumn(),
    orgId: orgId(),
    modelId: modelRef(),
    alias: text().notNull(),
    fromVersion: integer(),
    toVersion: integer(),
    actorLabel: text().notNull(),
    actorId: uuid(),
    reason: text(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.modelId, t.alias, t.createdAt)],
);

export const modelNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;
export const ZModelName = z
  .string({ error: "model is required" })
  .regex(modelNamePattern, { error: "model name must be 1-200 letters, digits, '_', '.', '-' and start with a letter or digit" });

export const aliasPattern = /^[a-z0-9_-]{1,64}$/;
/** `latest` and `v<digits>` would be ambiguous in `models:/name@…` URIs (MLflow reserves them too). */
export const isReservedAlias = (alias: string) => alias === "latest" || /^v\d+$/.test(alias);
export const ZAliasName = z
  .string({ error: "alias is required" })
  .regex(aliasPattern, { error: "alias must be 1-64 lowercase letters, digits, '-' or '_'" })
  .refine((a) => !isReservedAlias(a), { error: "alias 'latest' and 'v<number>' are reserved" });
