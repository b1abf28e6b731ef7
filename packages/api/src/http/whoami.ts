import type { Executor } from "@gantry/db";
import { GantryError } from "@gantry/schema";

import { resolvePrincipal } from "../auth/principal";
import { whoami } from "../services/whoami";
import { errorResponse } from "./errors";

/** GET /api/v1/whoami: who the key or session is, their org, role and scopes. */
export async function handleWhoami(db: Executor, request: Request, sessionUserId: string | null): Promise<Response> {
  try {
    const principal = await resolvePrincipal(db, { authorization: request.headers.get("authorization"), sessionUserId });
    if (!principal) throw new GantryError("UNAUTHENTICATED", "Sign in or send an API key (Authorization: Bearer <key>)");
    return Response.json(await whoami(db, principal, request.headers.get("x-gantry-org")));
  } catch (error) {
    return errorResponse(error);
  }
}
