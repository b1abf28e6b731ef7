import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { ZApiKey, ZCreateApiKeyInput, ZCreatedApiKey, ZRevokeApiKeyInput } from "@gantry/schema";

import { createApiKey, listApiKeys, revokeApiKey } from "../services/api-keys";
import { orgProcedure, orgWriteProcedure } from "../trpc";

export const apiKeyRouter = {
  list: orgProcedure.output(z.array(ZApiKey)).query(({ ctx }) => listApiKeys(ctx.svc)),
  /** The secret is in this answer only; afterwards just its prefix is shown. */
  create: orgWriteProcedure
    .input(ZCreateApiKeyInput)
    .output(ZCreatedApiKey)
    .mutation(({ ctx, input }) => createApiKey(ctx.svc, input)),
  revoke: orgWriteProcedure.input(ZRevokeApiKeyInput).mutation(({ ctx, input }) => revokeApiKey(ctx.svc, input)),
} satisfies TRPCRouterRecord;
