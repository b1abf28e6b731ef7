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

/**
 * Links a policy to the A/B test it runs; `salt` seeds sticky assignment (each test buckets units
 * independently); `stickyKey` names the request field (or header) that holds the unit id, besides
 * the `x-unit-id` header and a top-level `unit_id`.
 */
const testFields = { abTestId: z.string().optional(), salt: z.string().min(1), stickyKey: z.string().min(1).max(64).optional() };

/** Weighted variants; a unit id (request header `x-unit-id` or body `unit_id`) keeps its variant, else the draw is random. */
export const ZSplitPolicy = z.object({ kind: z.literal("split"), variants: z.array(ZPolicyVariant).min(2).max(8), ...testFields });

/** The first variant answers every request; `mirrorPercent` of requests also go to the second, off the request path, logged, never returned. */
export const ZShadowPolicy = z.object({ kind: z.literal("shadow"), variants: z.tuple([ZPolicyVariant, ZPolicyVariant]), mirrorPercent: z.number().min(0).max(100), ...testFields });

export const ZCanaryGuards = z.object({
  /** Share of 5xx answers (0–1) above which the canary rolls back. */
  maxErrorRate: z.number().min(0).max(1),
  /** p99 latency of the candidate in milliseconds above which it rolls back. */
  maxP99Ms: z.number().positive(),
  /** Optional: the candidate's mean feedback reward (or conversion) may not fall below the baseline's by more than this (absolute). */
  maxRewardDrop: z.number().min(0).optional(),
  /** Requests the candidate must have answered before the guards are judged at a step. */
  minRequests: z.number().int().min(1).default(50),
});

/** Baseline and candidate; the candidate's share follows `steps` (e.g. 5, 25, 50, 100), one step every `everyMinutes` or `everyRequests`. */
export const ZCanaryPolicy = z.object({
  kind: z.literal("canary"),
  variants: z.tuple([ZPolicyVariant, ZPolicyVariant]),
  steps: z.array(z.number().min(1).max(100)).min(1),
  step: z.number().int().min(0),
  everyMinutes: z.number().positive().optional(),
  everyRequests: z.number().int().positive().optional(),
  guards: ZCanaryGuards,
  /** The alias moved to the candidate when the last step passes. */
  promoteAlias: z.string().optional(),
  ...testFields,
});

/** Thompson sampling (Beta(1,1) priors) or epsilon-greedy over the variants, learning from feedback rewards. */
export const ZBanditPolicy = z.object({
  kind: z.literal("bandit"),
  variants: z.array(ZPolicyVariant).min(2).max(8),
  algorithm: z.enum(["thompson", "epsilon_greedy"]),
  epsilon: z.number().min(0).max(1).default(0.1),
  ...testFields,
});

/** The traffic policy of a revision: old rows (`single`) stay valid as kinds are added. */
export const ZTrafficPolicy = z.discriminatedUnion("kind", [ZSinglePolicy, ZSplitPolicy, ZShadowPolicy, ZCanaryPolicy, ZBanditPolicy]);
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

/** A row that belongs to an endpoint (and goes with it). */
export const endpointRef = () =>
  uuid()
    .notNull()
    .references((): AnyPgColumn => endpoints.id, { onDelete: "cascade" });

export const endpointNamePattern = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const ZEndpointName = z
  .string({ error: "name is required" })
  .regex(endpointNamePattern, { error: "endpoint name must be 1-64 lowercase letters, digits or '-', starting and ending with a letter or digit" });
