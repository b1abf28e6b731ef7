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
export const ZRollbackInput = z.object({ name: ZEndpointName, revision: z.number().int().positive({ error: "revision must be a positive integer" }), reason: ZAliasReason.optional() });
export type RollbackInput = z.input<typeof ZRollbackInput>;
