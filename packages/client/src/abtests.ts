import type { TRPCClient } from "@trpc/client";

import type { AppRouter } from "@gantry/api";
import type { AbTest, AbTestResults, StartAbTestInput } from "@gantry/schema/abtest-contracts";

import { wrap } from "./jobs";

export type AbTestsClient = {
  /** Starts a test on an endpoint: its variants become the endpoint's traffic policy (split, canary, shadow or bandit). */
  start: (input: StartAbTestInput) => Promise<AbTest>;
  list: (filter?: { endpoint?: string; status?: AbTest["status"] }) => Promise<AbTest[]>;
  get: (id: string) => Promise<AbTest>;
  /** Per-variant estimates, lifts with CIs, fixed and sequential p-values, SRM, the verdict. */
  results: (id: string) => Promise<AbTestResults>;
  /** The variant (default: the best so far) takes all traffic and the test's alias moves to it. */
  promote: (id: string, options?: { variant?: string; reason?: string }) => Promise<AbTest>;
  /** The control takes all traffic back. */
  stop: (id: string, options?: { reason?: string }) => Promise<AbTest>;
};

export function createAbTestsClient(api: TRPCClient<AppRouter>): AbTestsClient {
  return {
    start: wrap((input: StartAbTestInput) => api.abtest.start.mutate(input)),
    list: wrap((filter: { endpoint?: string; status?: AbTest["status"] } = {}) => api.abtest.list.query(filter)),
    get: wrap((id: string) => api.abtest.get.query({ id })),
    results: wrap((id: string) => api.abtest.results.query({ id })),
    promote: wrap((id: string, options: { variant?: string; reason?: string } = {}) => api.abtest.promote.mutate({ id, ...options })),
    stop: wrap((id: string, options: { reason?: string } = {}) => api.abtest.stop.mutate({ id, ...options })),
  };
}
