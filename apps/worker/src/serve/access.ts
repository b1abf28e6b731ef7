import type { IncomingMessage } from "node:http";

import { presentedKey } from "@gantry/api/auth";
import type { KeyPrincipal } from "@gantry/api/services";
import type { ServingDeployment } from "@gantry/api/serving";
import type { Scope } from "@gantry/schema";
import { GantryError } from "@gantry/schema";

import type { DeploymentCache } from "./deployments";
import type { KeyCache } from "./key-cache";

/*
 * Who may call an endpoint. Another org's key, like an unknown endpoint, gets TensorFlow
 * Serving's "Servable not found" (404): the answer never tells whether the endpoint exists.
 * A key of the org without the `predict` scope gets 403; no key on a key-auth endpoint 401.
 */

export type Purpose = "predict" | "feedback";
const allowedScopes: Record<Purpose, Scope[]> = { predict: ["predict", "admin"], feedback: ["predict", "write", "admin"] };

export type Access = { deployment: ServingDeployment; principal: KeyPrincipal | null };

const notFound = (name: string) => new GantryError("NOT_FOUND", `Servable not found for request: Latest(${name})`);

export async function authorize(
  request: IncomingMessage,
  { orgSlug, name, keys, deployments, purpose = "predict" }: { orgSlug: string; name: string; keys: KeyCache; deployments: DeploymentCache; purpose?: Purpose },
): Promise<Access> {
  const key = presentedKey(request.headers.authorization);
  const principal = key ? await keys.authenticate(key) : null;
  if (principal && principal.org.slug !== orgSlug) throw notFound(name);
  const resolved = deployments.resolve(orgSlug, name);
  const deployment = resolved instanceof Promise ? await resolved : resolved;
  if (!deployment) throw notFound(name);
  if (principal) {
    const scopes = principal.actor.scopes;
    if (!allowedScopes[purpose].some((s) => scopes.includes(s))) throw new GantryError("FORBIDDEN", `This API key lacks the 'predict' scope`);
  } else if (deployment.auth !== "public" || purpose !== "predict") {
    // Feedback always needs a key, even on a public endpoint: labels and rewards steer A/B results and retraining.
    throw new GantryError("UNAUTHENTICATED", `Endpoint '${name}' needs an API key with the 'predict' scope (Authorization: Bearer <key>)`);
  }
  return { deployment, principal };
}
