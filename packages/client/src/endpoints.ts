import type { TRPCClient } from "@trpc/client";

import type { AppRouter } from "@gantry/api";
import type { DeployTarget, Endpoint, EndpointDetail } from "@gantry/schema/serving-contracts";

import { wrap } from "./jobs";

export type EndpointsClient = {
  /** The org's endpoints, each with what its current revision serves. */
  list: () => Promise<Endpoint[]>;
  /** An endpoint with its deployment revisions, newest first. */
  get: (name: string) => Promise<EndpointDetail>;
  create: (input: { name: string; description?: string; auth?: "key" | "public"; followAlias?: string }) => Promise<EndpointDetail>;
  /** A new revision serving `model` (`models:/name@alias`, `models:/name/3`, `{model, version}`, `{model, alias}`), resolved and pinned now. */
  deploy: (name: string, model: DeployTarget, options?: { reason?: string }) => Promise<EndpointDetail>;
  /** A new revision with an earlier revision's policy (default: the newest earlier one that served something else). */
  rollback: (name: string, revision?: number, options?: { reason?: string }) => Promise<EndpointDetail>;
};

export function createEndpointsClient(api: TRPCClient<AppRouter>): EndpointsClient {
  return {
    list: wrap(() => api.endpoint.list.query()),
    get: wrap((name: string) => api.endpoint.get.query({ name })),
    create: wrap((input: { name: string; description?: string; auth?: "key" | "public"; followAlias?: string }) => api.endpoint.create.mutate(input)),
    deploy: wrap((name: string, model: DeployTarget, options: { reason?: string } = {}) => api.endpoint.deploy.mutate({ name, model, reason: options.reason })),
    rollback: wrap((name: string, revision: number | undefined, options: { reason?: string } = {}) => api.endpoint.rollback.mutate({ name, revision, reason: options.reason })),
  };
}
