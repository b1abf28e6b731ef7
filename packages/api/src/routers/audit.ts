import type { TRPCRouterRecord } from "@trpc/server";

import { ZAuditPage, ZListAuditInput } from "@gantry/schema";

import { listAuditEvents } from "../services/audit";
import { orgAdminProcedure } from "../trpc";

export const auditRouter = {
  list: orgAdminProcedure
    .input(ZListAuditInput)
    .output(ZAuditPage)
    .query(({ ctx, input }) => listAuditEvents(ctx.svc, input)),
} satisfies TRPCRouterRecord;
