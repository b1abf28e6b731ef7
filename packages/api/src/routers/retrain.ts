import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { ZCreateRetrainPolicyInput, ZRetrainPolicy, ZRetrainPolicyIdInput, ZRetrainRun } from "@gantry/schema";

import { createRetrainPolicy, getRetrainPolicy, listRetrainPolicies, startRetrainRun } from "../retraining";
import { orgProcedure, orgWriteProcedure } from "../trpc";

/** Retraining policies and their runs (the automation timeline). */
export const retrainRouter = {
  list: orgProcedure.output(z.array(ZRetrainPolicy)).query(({ ctx }) => listRetrainPolicies(ctx.svc)),
  get: orgProcedure
    .input(ZRetrainPolicyIdInput)
    .output(ZRetrainPolicy)
    .query(({ ctx, input }) => getRetrainPolicy(ctx.svc, input.id)),
  create: orgWriteProcedure
    .input(ZCreateRetrainPolicyInput)
    .output(ZRetrainPolicy)
    .mutation(({ ctx, input }) => createRetrainPolicy(ctx.svc, input)),
  /** Starts a run by hand (refused, with the reason, while one is in flight or cooling down). */
  run: orgWriteProcedure
    .input(ZRetrainPolicyIdInput)
    .output(z.object({ started: ZRetrainRun.nullable(), reason: z.string().optional() }))
    .mutation(({ ctx, input }) => startRetrainRun(ctx.svc, input.id, { kind: "manual", message: `started by ${ctx.svc.actor.label}` }, { store: ctx.artifactStore })),
} satisfies TRPCRouterRecord;
