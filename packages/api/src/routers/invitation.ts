import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { ZAcceptInvitationInput, ZCreateInvitationInput, ZInvitation, ZMyOrg, ZRole } from "@gantry/schema";

import { acceptInvitation, createInvitation, listInvitations, previewInvitation, revokeInvitation } from "../services/invitations";
import { orgAdminProcedure, publicProcedure, userProcedure } from "../trpc";

export const invitationRouter = {
  create: orgAdminProcedure
    .input(ZCreateInvitationInput)
    .output(z.object({ invitation: ZInvitation, token: z.string() }))
    .mutation(({ ctx, input }) => createInvitation(ctx.svc, input)),
  list: orgAdminProcedure.output(z.array(ZInvitation)).query(({ ctx }) => listInvitations(ctx.svc)),
  revoke: orgAdminProcedure
    .input(z.object({ id: z.uuid({ error: "id must be a UUID" }) }))
    .mutation(({ ctx, input }) => revokeInvitation(ctx.svc, input.id)),
  /** What an invitation link offers, shown before signing in; reveals nothing without the token. */
  preview: publicProcedure
    .input(ZAcceptInvitationInput)
    .output(z.object({ org: z.object({ slug: z.string(), name: z.string() }), role: ZRole, email: z.string().nullable(), expiresAt: z.date() }))
    .query(({ ctx, input }) => previewInvitation(ctx.db, input)),
  accept: userProcedure
    .input(ZAcceptInvitationInput)
    .output(ZMyOrg)
    .mutation(({ ctx, input }) => acceptInvitation({ db: ctx.db, actor: ctx.principal.actor, email: ctx.user.email }, input)),
} satisfies TRPCRouterRecord;
