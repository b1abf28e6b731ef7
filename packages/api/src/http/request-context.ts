import type { Executor } from "@gantry/db";
import type { Scope } from "@gantry/schema";
import { GantryError } from "@gantry/schema";

import { orgContextOf, resolveOrgAccess, resolvePrincipal } from "../auth/principal";
import type { OrgContext } from "../context";

/**
 * The org context of a REST call, authenticated as the other /api/v1 routes: an API key (Bearer)
 * or the portal session with the org in `x-gantry-org`. Only downloads take the org from `?org=`
 * (a link cannot set headers); an upload must send the header, which a cross-site form cannot.
 */
export async function requestContext(db: Executor, request: Request, options: { sessionUserId: string | null; scope: Scope; orgFromQuery: boolean }): Promise<OrgContext> {
  const principal = await resolvePrincipal(db, { authorization: request.headers.get("authorization"), sessionUserId: options.sessionUserId });
  if (!principal) throw new GantryError("UNAUTHENTICATED", "Sign in or send an API key (Authorization: Bearer <key>)");
  const slug = request.headers.get("x-gantry-org") ?? (options.orgFromQuery ? new URL(request.url).searchParams.get("org") : null);
  const access = await resolveOrgAccess(db, principal, slug);
  if (!access.scopes.includes(options.scope)) {
    throw new GantryError("FORBIDDEN", principal.kind === "api_key" ? `This key lacks the "${options.scope}" scope` : `Uploading needs the member role or higher`);
  }
  return orgContextOf(db, principal, access);
}
