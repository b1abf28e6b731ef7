import type { Executor } from "@gantry/db";
import type { Role, Scope } from "@gantry/schema";

/** Who is acting. Keys act for their org with their scopes; users with their membership role. */
export type Actor =
  | { type: "user"; userId: string; label: string }
  | { type: "api_key"; keyId: string; userId: string | null; label: string; orgId: string; scopes: Scope[] }
  /** The platform itself; `onBehalfOf` names the user it works for (a worker running a user's job). */
  | { type: "system"; label: string; onBehalfOf?: string };

/** Context of a service call that needs no org (sign-up, creating an org, accepting an invite). */
export type UserContext = { db: Executor; actor: Actor & { type: "user" } };

/** Context of every org-scoped service call. `orgId` comes from the authenticated principal only. */
export type OrgContext = { db: Executor; orgId: string; actor: Actor; role: Role };

/** Scopes a member's role grants when they act through the portal (keys carry their own). */
export const scopesOfRole = (role: Role): Scope[] =>
  role === "viewer" ? ["read"] : role === "member" ? ["read", "write", "predict"] : ["read", "write", "predict", "admin"];
