import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import {
  ZCreateEndpointInput,
  ZDeployInput,
  ZEndpoint,
  ZEndpointDetail,
  ZEndpointNameInput,
  ZEndpointTraffic,
  ZEndpointTrafficInput,
  ZRollbackInput,
  ZTryPredictInput,
  ZTryPredictResult,
  ZUpdateEndpointInput,
} from "@gantry/schema";

import { createEndpoint, deleteEndpoint, deploy, endpointTraffic, getEndpoint, listEndpoints, pauseEndpoint, resumeEndpoint, rollback, tryPredict, updateEndpoint } from "../serving";
import { ok, orgAdminProcedure, orgProcedure, orgWriteProcedure } from "../trpc";

/** Serving endpoints and their deployment revisions. */
export const endpointRouter = {
  list: orgProcedure.output(z.array(ZEndpoint)).query(({ ctx }) => listEndpoints(ctx.svc)),
  /** The endpoint with its revisions, newest first. */
  get: orgProcedure
    .input(ZEndpointNameInput)
    .output(ZEndpointDetail)
    .query(({ ctx, input }) => getEndpoint(ctx.svc, input.name)),
  /** Requests, errors and latency quantiles per minute and variant, oldest first. */
  traffic: orgProcedure
    .input(ZEndpointTrafficInput)
    .output(ZEndpointTraffic)
    .query(({ ctx, input }) => endpointTraffic(ctx.svc, input.name, { minutes: input.minutes })),
  create: orgWriteProcedure
    .input(ZCreateEndpointInput)
    .output(ZEndpointDetail)
    .mutation(({ ctx, input }) => createEndpoint(ctx.svc, input)),
  update: orgWriteProcedure
    .input(ZUpdateEndpointInput)
    .output(ZEndpointDetail)
    .mutation(({ ctx, input }) => updateEndpoint(ctx.svc, input)),
  delete: orgAdminProcedure.input(ZEndpointNameInput).mutation(({ ctx, input }) => ok(deleteEndpoint(ctx.svc, input.name))),
  /** A new revision serving the version `model` names (resolved and pinned now). */
  deploy: orgWriteProcedure
    .input(ZDeployInput)
    .output(ZEndpointDetail)
    .mutation(({ ctx, input }) => deploy(ctx.svc, input.name, input)),
  /** A new revision copying an earlier revision's policy. */
  rollback: orgWriteProcedure
    .input(ZRollbackInput)
    .output(ZEndpointDetail)
    .mutation(({ ctx, input }) => rollback(ctx.svc, input.name, input)),
  pause: orgWriteProcedure
    .input(ZEndpointNameInput)
    .output(ZEndpointDetail)
    .mutation(({ ctx, input }) => pauseEndpoint(ctx.svc, input.name)),
  resume: orgWriteProcedure
    .input(ZEndpointNameInput)
    .output(ZEndpointDetail)
    .mutation(({ ctx, input }) => resumeEndpoint(ctx.svc, input.name)),
  /** One prediction through the serving port with a short-lived key of the caller's; the answer as it came, and its curl. */
  tryPredict: orgWriteProcedure
    .input(ZTryPredictInput)
    .output(ZTryPredictResult)
    .mutation(({ ctx, input }) => tryPredict(ctx.svc, input, { orgSlug: ctx.org.slug, serving: ctx.serving })),
} satisfies TRPCRouterRecord;
