import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { z } from "zod";

import { users } from "./auth";
import { createdAt, idColumn, timestamps } from "./common";
import { orgs } from "./org";

/*
 * Serving: an endpoint is a stable name per org; what it serves is its current deployment
 * revision. Revisions are immutable and numbered 1, 2, … per endpoint: a deploy or a rollback
 * writes a new one and points the endpoint at it.
 */

export const endpointAuthModes = ["key", "public"] as const;
export type EndpointAuth = (typeof endpointAuthModes)[number];
export const endpointStatuses = ["active", "paused"] as const;
export type EndpointStatus = (typeof endpointStatuses)[number];

/** One model version behind an endpoint: pinned by id; `model`/`version` are what it was at deploy time, `via` the alias it was resolved from. */
export const ZPolicyVariant = z.object({
  name: z.string().min(1),
  modelVersionId: z.string().min(1),
  model: z.string(),
  version: z.number().int().positive(),
  via: z.string().optional(),
  weight: z.number().min(0).max(100),
});
export type PolicyVariant = z.output<typeof ZPolicyVariant>;

export const ZSinglePolicy = z.object({
  kind: z.literal("single"),
  variants: z.tuple([ZPolicyVariant.extend({ name: z.literal("default"), weight: z.literal(100) })]),
});

/** The traffic policy of a revision. Only `single` today; split, canary, shadow and bandit join the union. */
export const ZTrafficPolicy = z.discriminatedUnion("kind", [ZSinglePolicy]);
export type TrafficPolicy = z.output<typeof ZTrafficPolicy>;

const orgId = () =>
  uuid()
    .notNull()
    .references(() => orgs.id, { onDelete: "cascade" });

export const endpoints = pgTable(
  "endpoints",
  {
    id: idColumn(),
    orgId: orgId(),
    /** URL-safe slug, unique per org: it is the path segment of the serving routes. */
    name: text().notNull(),
    description: text(),
    auth: text({ enum: endpointAuthModes }).notNull().default("key"),
    status: text({ enum: endpointStatuses }).notNull().default("active"),
    currentRevisionId: uuid().references((): AnyPgColumn => deploymentRevisions.id, { onDelete: "set null" }),
    /** When this alias of the served model moves, the endpoint is redeployed on its new version. */
    followAlias: text(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [uniqueIndex().on(t.orgId, t.name)],
);

export const deploymentRevisions = pgTable(
  "deployment_revisions",
  {
    id: idColumn(),
    orgId: orgId(),
    endpointId: uuid()
      .notNull()
      .references((): AnyPgColumn => endpoints.id, { onDelete: "cascade" }),
    /** 1, 2, 3, … per endpoint. */
    revision: integer().notNull(),
    policy: jsonb().$type<TrafficPolicy>().notNull(),
    /** Every version the policy names, kept as a column so "who serves version X" is an indexed lookup, not a jsonb scan. */
    modelVersionIds: uuid().array().notNull(),
    deployedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    deployedByLabel: text().notNull(),
    reason: text(),
    /** The revision whose policy this one copies, when it is a rollback. */
    rolledBackFrom: integer(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.endpointId, t.revision), index().using("gin", t.modelVersionIds)],
);

export const endpointNamePattern = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const ZEndpointName = z
  .string({ error: "name is required" })
  .regex(endpointNamePattern, { error: "endpoint name must be 1-64 lowercase letters, digits or '-', starting and ending with a letter or digit" });
