import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { ZCreateWebhookInput, ZWebhook, ZWebhookDelivery, ZWebhookIdInput, ZWebhookWithSecret } from "@gantry/schema";

import { createWebhook, deleteWebhook, listWebhooks, webhookDeliveriesOf } from "../alerts";
import { ok, orgAdminProcedure, orgProcedure } from "../trpc";

/** Webhooks that receive alert events (signed, retried); managing them is for admins. */
export const webhookRouter = {
  list: orgProcedure.output(z.array(ZWebhook)).query(({ ctx }) => listWebhooks(ctx.svc)),
  /** The signing secret is in this answer only. */
  create: orgAdminProcedure
    .input(ZCreateWebhookInput)
    .output(ZWebhookWithSecret)
    .mutation(({ ctx, input }) => createWebhook(ctx.svc, input)),
  delete: orgAdminProcedure.input(ZWebhookIdInput).mutation(({ ctx, input }) => ok(deleteWebhook(ctx.svc, input.id))),
  deliveries: orgProcedure
    .input(ZWebhookIdInput)
    .output(z.array(ZWebhookDelivery))
    .query(({ ctx, input }) => webhookDeliveriesOf(ctx.svc, input.id)),
} satisfies TRPCRouterRecord;
