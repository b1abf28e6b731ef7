import type { Executor } from "@gantry/db";
import { GantryError } from "@gantry/schema";
import type { Org, Role, Scope, User } from "@gantry/schema";

import type { Actor, OrgContext } from "../context";
import { scopesOfRole } from "../context";
import { authenticateApiKey } from "../services/api-keys";
import { findMembershipBySlug } from "../services/orgs";
import { getUser } from "../services/users";

/** The authenticated caller of one request. */
export type Principal =
  | { kind: "user"; actor: Actor & { type: "user" }; user: User }
  | { kind: "api_key"; actor: Actor & { type: "api_key" }; org: Org; role: Role };

export type Credentials = {
  /** The raw Authorization header, if any. */
  authorization?: string | null;
  /** The signed-in user's id, from a verified session. */
  sessionUserId?: string | null;
};

/** The key from `Bearer <key>`, or from Basic auth's password (MLflow clients send it that way). */
export function presentedKey(authorization: string | null | undefined): string | null {
  if (!authorization) return null;
  const [scheme, value] = authorization.trim().split(/\s+/, 2);
  if (!scheme || !value) throw new GantryError("UNAUTHENTICATED", "Malformed Authorization header");
  if (scheme.toLowerCase() === "bearer") return value;
  if (scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon >= 0 ? decoded.slice(colon + 1) : decoded;
  }
  throw new GantryError("UNAUTHENTICATED", `Unsupported Authorization scheme "${scheme}"; use Bearer <api key>`);
}

/** A key acts with the role its widest scope implies; it never holds a membership of its own. */
const roleOfScopes = (scopes: Scope[]): Role => (scopes.includes("admin") ? "admin" : scopes.includes("write") ? "member" : "viewer");

/** Resolves who is calling; null when nobody is (no key, no session). A key wins over a session. */
export async function resolvePrincipal(db: Executor, credentials: Credentials): Promise<Principal | null> {
  const key = presentedKey(credentials.authorization);
  if (key) {
    const { actor, org } = await authenticateApiKey(db, key);
    return { kind: "api_key", actor, org, role: roleOfScopes(actor.scopes) };
  }
  if (credentials.sessionUserId) {
    const user = await getUser(db, credentials.sessionUserId);
    // A session for a user who no longer exists is no session.
    if (!user) return null;
    return { kind: "user", actor: { type: "user", userId: user.id, label: user.email }, user };
  }
  return null;
}

export type OrgAccess = { org: Org; role: Role; scopes: Scope[] };

/**
 * The org a principal acts in. Keys: the key's own org (an `orgSlug` naming another org is
 * NOT_FOUND). Users: the org named by `orgSlug`, which they must be a member of.
 */
export async function resolveOrgAccess(db: Executor, principal: Principal, orgSlug: string | null | undefined): Promise<OrgAccess> {
  if (principal.kind === "api_key") {
    if (orgSlug && orgSlug !== principal.org.slug) throw new GantryError("NOT_FOUND", `No organisation "${orgSlug}" for this key`);
    return { org: principal.org, role: principal.role, scopes: principal.actor.scopes };
  }
  if (!orgSlug) throw new GantryError("INVALID_INPUT", "Choose an organisation: send its slug in the x-gantry-org header", { field: "x-gantry-org" });
  const { org, role } = await findMembershipBySlug(db, principal.user.id, orgSlug);
  return { org, role, scopes: scopesOfRole(role) };
}

export const orgContextOf = (db: Executor, principal: Principal, access: OrgAccess): OrgContext => ({
  db,
  orgId: access.org.id,
  actor: principal.actor,
  role: access.role,
});
