/**
 * tRPC setup: context, transformer, error formatting, and the procedure tiers
 * publicProcedure → protectedProcedure → userProcedure | orgProcedure → orgWriteProcedure → orgAdminProcedure.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import superjson from "superjson";
import { ZodError } from "zod";

import type { Executor } from "@gantry/db";
import { GantryError, roleAtLeast } from "@gantry/schema";
import type { ErrorCode, Role, Scope } from "@gantry/schema";

import type { ArtifactStore } from "./artifacts";
import type { Credentials, Principal } from "./auth/principal";
import type { ServingConfig } from "./serving/try-it";
import { orgContextOf, resolveOrgAccess, resolvePrincipal } from "./auth/principal";
import { describeZodError } from "./parse";

/* Context */

export type CreateContextOptions = Credentials & {
  db: Executor;
  /** The org the caller names (the portal's x-gantry-org header); keys imply their own. */
  orgSlug?: string | null;
  /** The content-addressed store, for procedures that read stored files (dataset previews). */
  artifactStore?: ArtifactStore;
  /** The serving port, for procedures that call it (the portal's "try it" console). */
  serving?: ServingConfig;
};

export const createContext = (opts: CreateContextOptions) => ({ ...opts });
export type Context = ReturnType<typeof createContext>;

/* Init */

const trpcCodeOf: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  INVALID_INPUT: "BAD_REQUEST",
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

export const toTRPCError = (error: GantryError) => new TRPCError({ code: trpcCodeOf[error.code], message: error.message, cause: error });

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? describeZodError(error.cause) : null;
    const domain = error.cause instanceof GantryError ? error.cause : null;
    return {
      ...shape,
      // zod's default message is a JSON dump of issues; people get the first one in words.
      message: zod?.message ?? shape.message,
      data: {
        ...shape.data,
        field: zod?.field ?? domain?.field ?? null,
        zodError: error.cause instanceof ZodError ? error.cause.flatten() : null,
        stack: undefined,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/* Procedures */

/** Domain errors thrown anywhere below become the matching tRPC error, once, here. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof GantryError) throw toTRPCError(result.error.cause);
  return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const principal: Principal | null = await resolvePrincipal(ctx.db, ctx);
  if (!principal) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in or send an API key (Authorization: Bearer <key>)" });
  return next({ ctx: { principal } });
});

/** Signed in as a person (not an API key): creating orgs, accepting invitations. */
export const userProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  if (ctx.principal.kind !== "user") throw new TRPCError({ code: "FORBIDDEN", message: "This needs a signed-in user, not an API key" });
  return next({ ctx: { principal: ctx.principal, user: ctx.principal.user } });
});

const orgTier = (minRole: Role, scope: Scope) =>
  protectedProcedure.use(async ({ ctx, next }) => {
    const access = await resolveOrgAccess(ctx.db, ctx.principal, ctx.orgSlug);
    if (!roleAtLeast(access.role, minRole) || !access.scopes.includes(scope)) {
      const who = ctx.principal.kind === "api_key" ? `This key lacks the "${scope}" scope` : `This needs the ${minRole} role or higher`;
      throw new TRPCError({ code: "FORBIDDEN", message: who });
    }
    return next({ ctx: { org: access.org, access, svc: orgContextOf(ctx.db, ctx.principal, access) } });
  });

/** Any member (viewer up) or a key with `read`. */
export const orgProcedure = orgTier("viewer", "read");
/** Members up, or a key with `write`. */
export const orgWriteProcedure = orgTier("member", "write");
/** Admins and owners, or a key with `admin`. */
export const orgAdminProcedure = orgTier("admin", "admin");

/** For mutations whose service returns nothing: waits, then answers `{ ok: true }`. */
export const ok = async (p: Promise<unknown>) => {
  await p;
  return { ok: true as const };
};
