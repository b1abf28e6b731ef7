import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { ZAlert, ZAlertIdInput, ZListAlertsInput } from "@gantry/schema";

import { acknowledgeAlert, listAlerts } from "../alerts";
import { orgProcedure, orgWriteProcedure } from "../trpc";

/** The org's alerts (canary rollbacks; monitors later). */
export const alertRouter = {
  list: orgProcedure
    .input(ZListAlertsInput)
    .output(z.array(ZAlert))
    .query(({ ctx, input }) => listAlerts(ctx.svc, input)),
  acknowledge: orgWriteProcedure
    .input(ZAlertIdInput)
    .output(ZAlert)
    .mutation(({ ctx, input }) => acknowledgeAlert(ctx.svc, input.id)),
} satisfies TRPCRouterRecord;
