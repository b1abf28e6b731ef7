import { TRPCError } from "@trpc/server";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { ZChangeRoleInput, ZMember, ZRemoveMemberInput } from "@gantry/schema";

import { changeRole, listMembers, removeMember } from "../services/members";
import { orgAdminProcedure, orgProcedure } from "../trpc";

export const memberRouter = {
  list: orgProcedure.output(z.array(ZMember)).query(({ ctx }) => listMembers(ctx.svc)),
  changeRole: orgAdminProcedure
    .input(ZChangeRoleInput)
    .output(z.array(ZMember))
    .mutation(({ ctx, input }) => changeRole(ctx.svc, input)),
  remove: orgAdminProcedure.input(ZRemoveMemberInput).mutation(({ ctx, input }) => removeMember(ctx.svc, input)),
  /** Leave the org (any member, viewers included); the last owner cannot. */
  leave: orgProcedure.mutation(({ ctx }) => {
    if (ctx.principal.kind !== "user") throw new TRPCError({ code: "FORBIDDEN", message: "An API key has no membership to leave" });
    return removeMember(ctx.svc, { userId: ctx.principal.user.id });
  }),
} satisfies TRPCRouterRecord;
