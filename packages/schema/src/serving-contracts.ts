import { z } from "zod";

import { ZAliasName, ZModelName } from "./registry";
import { ZAliasReason, ZVersionNumber } from "./registry-contracts";
import { endpointAuthModes, endpointStatuses, ZEndpointName, ZTrafficPolicy } from "./serving";

/* Contracts of the endpoint surfaces (tRPC, client, CLI). The tables are in ./serving. */

export const servingLimits = { descriptionLength: 5_000 } as const;

const ZEndpointDescription = z
  .string({ error: "description must be a string" })
  .max(servingLimits.descriptionLength, { error: `description must be at most ${servingLimits.descriptionLength} characters` });

export const ZDeploymentRevision = z.object({
  id: z.string(),
  revision: z.number().int(),
  policy: ZTrafficPolicy,
  deployedBy: z.string(),
  reason: z.string().nullable(),
  rolledBackFrom: z.number().int().nullable(),
  createdAt: z.date(),
});
export type DeploymentRevision = z.output<typeof ZDeploymentRevision>;

export const ZEndpoint = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  auth: z.enum(endpointAuthModes),
  status: z.enum(endpointStatuses),
  followAlias: z.string().nullable(),
  /** The current revision's number and what it serves (names as they are now); null before the first deploy. */
  revision: z.number().int().nullable(),
  model: z.string().nullable(),
  version: z.number().int().nullable(),
  via: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Endpoint = z.output<typeof ZEndpoint>;

/** An endpoint with its revisions, newest first. */
export const ZEndpointDetail = ZEndpoint.extend({ revisions: z.array(ZDeploymentRevision) });
export type EndpointDetail = z.output<typeof ZEndpointDetail>;

/** What a deploy names: a model URI (`models:/name@alias`, `models:/name/3`), or the same as an object. */
export const ZDeployTarget = z.union([
  z.string().min(1, { error: "model is required" }),
  z.object({ model: ZModelName, version: ZVersionNumber }),
  z.object({ model: ZModelName, alias: ZAliasName }),
]);
export type DeployTarget = z.input<typeof ZDeployTarget>;

/* Inputs */

export const ZEndpointNameInput = z.object({ name: ZEndpointName });
export const ZCreateEndpointInput = z.object({
  name: ZEndpointName,
  description: ZEndpointDescription.optional(),
  auth: z.enum(endpointAuthModes).default("key"),
  followAlias: ZAliasName.optional(),
});
export type CreateEndpointInput = z.input<typeof ZCreateEndpointInput>;
export const ZUpdateEndpointInput = z.object({
  name: ZEndpointName,
  description: ZEndpointDescription.nullable().optional(),
  auth: z.enum(endpointAuthModes).optional(),
  followAlias: ZAliasName.nullable().optional(),
});
export type UpdateEndpointInput = z.input<typeof ZUpdateEndpointInput>;
export const ZDeployInput = z.object({ name: ZEndpointName, model: ZDeployTarget, reason: ZAliasReason.optional() });
export type DeployInput = z.input<typeof ZDeployInput>;
/** Without `revision`: the newest earlier revision that served something else than the current one. */
export const ZRollbackInput = z.object({ name: ZEndpointName, revision: z.number().int().positive({ error: "revision must be a positive integer" }).optional(), reason: ZAliasReason.optional() });
export type RollbackInput = z.input<typeof ZRollbackInput>;

/* Operations stats */

export const ZEndpointTrafficInput = z.object({
  name: ZEndpointName,
  minutes: z
    .number({ error: "minutes must be a number" })
    .int({ error: "minutes must be an integer" })
    .min(1, { error: "minutes must be between 1 and 1440" })
    .max(1440, { error: "minutes must be between 1 and 1440" })
    .default(60),
});
export type EndpointTrafficInput = z.input<typeof ZEndpointTrafficInput>;

/** One endpoint variant's minute; the quantiles are estimated from a latency histogram (null without samples). */
export const ZEndpointTrafficPoint = z.object({
  minute: z.date(),
  variant: z.string(),
  requests: z.number().int(),
  errors: z.number().int(),
  meanMs: z.number().nullable(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
});
export type EndpointTrafficPoint = z.output<typeof ZEndpointTrafficPoint>;
export const ZEndpointTraffic = z.array(ZEndpointTrafficPoint);

/* Feedback (an HTTP body, hence snake_case) */

export const feedbackLimits = { items: 10_000, requestIdLength: 256, labelLength: 1_000 } as const;

export const ZFeedbackItem = z
  .object({
    request_id: z
      .string({ error: "request_id is required" })
      .min(1, { error: "request_id must not be empty" })
      .max(feedbackLimits.requestIdLength, { error: `request_id must be at most ${feedbackLimits.requestIdLength} characters` }),
    row: z.number({ error: "row must be a number" }).int({ error: "row must be an integer" }).min(0, { error: "row must be ≥ 0" }).optional(),
    label: z
      .union([z.string().max(feedbackLimits.labelLength, { error: `label must be at most ${feedbackLimits.labelLength} characters` }), z.number(), z.boolean()], {
        error: "label must be a string, a number or a boolean",
      })
      .optional(),
    reward: z.number({ error: "reward must be a finite number" }).optional(),
  })
  .refine((item) => item.label !== undefined || item.reward !== undefined, { error: "a feedback item needs a label or a reward", path: ["label"] });
export type FeedbackItem = z.input<typeof ZFeedbackItem>;

export const ZFeedbackInput = z.object({
  feedback: z
    .array(ZFeedbackItem, { error: "feedback must be a list" })
    .min(1, { error: "feedback must have at least one item" })
    .max(feedbackLimits.items, { error: `feedback must have at most ${feedbackLimits.items} items` }),
});
export type FeedbackInput = z.input<typeof ZFeedbackInput>;

/* The portal's "try it" console */

export const tryPredictLimits = { instances: 100 } as const;

/** One call of the endpoint through the serving port, as the portal's console makes it. */
export const ZTryPredictInput = z.object({
  name: ZEndpointName,
  instances: z
    .array(z.record(z.string(), z.unknown(), { error: "each instance must be an object of column: value" }), { error: "instances must be a list of rows" })
    .min(1, { error: "instances must have at least one row" })
    .max(tryPredictLimits.instances, { error: `instances must have at most ${tryPredictLimits.instances} rows` }),
});
export type TryPredictInput = z.input<typeof ZTryPredictInput>;

/** The serving port's answer as it came (any status), with the equivalent curl command (key elided). */
export const ZTryPredictResult = z.object({
  status: z.number().int(),
  body: z.unknown(),
  latencyMs: z.number(),
  requestId: z.string().nullable(),
  curl: z.string(),
});
export type TryPredictResult = z.output<typeof ZTryPredictResult>;
