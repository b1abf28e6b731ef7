import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { ZCreateOrgInput, ZMyOrg, ZOrg, ZRenameOrgInput } from "@gantry/schema";

import { createOrg, getOrg, listMyOrgs, renameOrg } from "../services/orgs";
import { orgAdminProcedure, orgProcedure, userProcedure } from "../trpc";

export const orgRouter = {
  /** The orgs the signed-in user belongs to, with their role in each. */
  mine: userProcedure.output(z.array(ZMyOrg)).query(({ ctx }) => listMyOrgs(ctx.db, ctx.user.id)),
  create: userProcedure
    .input(ZCreateOrgInput)
    .output(ZMyOrg)
    .mutation(({ ctx, input }) => createOrg({ db: ctx.db, actor: ctx.principal.actor }, input)),
  current: orgProcedure.output(ZMyOrg).query(async ({ ctx }) => ({ ...(await getOrg(ctx.svc)), role: ctx.access.role })),
  rename: orgAdminProcedure
    .input(ZRenameOrgInput)
    .output(ZOrg)
    .mutation(({ ctx, input }) => renameOrg(ctx.svc, input)),
} satisfies TRPCRouterRecord;
