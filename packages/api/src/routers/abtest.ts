import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { ZAbTest, ZAbTestDecisionInput, ZAbTestIdInput, ZAbTestResults, ZListAbTestsInput, ZStartAbTestInput } from "@gantry/schema";

import { abTestResults, getAbTest, listAbTests, promoteAbTest, rollbackAbTest, startAbTest, stopAbTest } from "../abtests";
import { orgProcedure, orgWriteProcedure } from "../trpc";

/** A/B tests: start one on an endpoint (its traffic policy), read results, decide. */
export const abTestRouter = {
  list: orgProcedure
    .input(ZListAbTestsInput)
    .output(z.array(ZAbTest))
    .query(({ ctx, input }) => listAbTests(ctx.svc, input)),
  get: orgProcedure
    .input(ZAbTestIdInput)
    .output(ZAbTest)
    .query(({ ctx, input }) => getAbTest(ctx.svc, input.id)),
  /** Per-variant estimates, lift with CIs, fixed and sequential p-values, SRM, verdict, the estimate over time. */
  results: orgProcedure
    .input(ZAbTestIdInput)
    .output(ZAbTestResults)
    .query(({ ctx, input }) => abTestResults(ctx.svc, input.id, (id) => getAbTest(ctx.svc, id))),
  start: orgWriteProcedure
    .input(ZStartAbTestInput)
    .output(ZAbTest)
    .mutation(({ ctx, input }) => startAbTest(ctx.svc, input)),
  /** The winner (default: the best so far) takes all traffic; the test's alias moves to it. */
  promote: orgWriteProcedure
    .input(ZAbTestDecisionInput)
    .output(ZAbTest)
    .mutation(({ ctx, input }) =>
      promoteAbTest(ctx.svc, input, async (test) => {
        const results = await abTestResults(ctx.svc, test.id, async () => test);
        return results.best ?? test.variants[1]?.name ?? "control";
      }),
    ),
  stop: orgWriteProcedure
    .input(ZAbTestDecisionInput)
    .output(ZAbTest)
    .mutation(({ ctx, input }) => stopAbTest(ctx.svc, input)),
  rollback: orgWriteProcedure
    .input(ZAbTestDecisionInput)
    .output(ZAbTest)
    .mutation(({ ctx, input }) => rollbackAbTest(ctx.svc, input)),
} satisfies TRPCRouterRecord;
