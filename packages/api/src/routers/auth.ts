import type { TRPCRouterRecord } from "@trpc/server";

import { ZSignUpInput, ZUser, ZWhoami } from "@gantry/schema";

import { signUp } from "../services/users";
import { whoami } from "../services/whoami";
import { protectedProcedure, publicProcedure } from "../trpc";

export const authRouter = {
  signUp: publicProcedure
    .input(ZSignUpInput)
    .output(ZUser)
    .mutation(({ ctx, input }) => signUp(ctx.db, input)),
  whoami: protectedProcedure.output(ZWhoami).query(({ ctx }) => whoami(ctx.db, ctx.principal, ctx.orgSlug)),
} satisfies TRPCRouterRecord;
