import type { Executor } from "@gantry/db";
import type { Whoami } from "@gantry/schema";

import type { Principal } from "../auth/principal";
import { resolveOrgAccess } from "../auth/principal";
import { getUser } from "./users";

/** Who the caller is: user, key, org, role and scopes. A user's org is the one they name, if any. */
export async function whoami(db: Executor, principal: Principal, orgSlug?: string | null): Promise<Whoami> {
  if (principal.kind === "api_key") {
    // A key naming an org other than its own is told NOT_FOUND, as on every other route.
    await resolveOrgAccess(db, principal, orgSlug);
    const creator = principal.actor.userId ? await getUser(db, principal.actor.userId) : null;
    return {
      kind: "api_key",
      user: creator,
      key: { id: principal.actor.keyId, label: principal.actor.label },
      org: { id: principal.org.id, slug: principal.org.slug, name: principal.org.name },
      role: principal.role,
      scopes: principal.actor.scopes,
    };
  }
  const access = orgSlug ? await resolveOrgAccess(db, principal, orgSlug) : null;
  return {
    kind: "user",
    user: principal.user,
    key: null,
    org: access ? { id: access.org.id, slug: access.org.slug, name: access.org.name } : null,
    role: access?.role ?? null,
    scopes: access?.scopes ?? [],
  };
}
