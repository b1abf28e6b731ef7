import type { Executor } from "@gantry/db";
import { GantryError } from "@gantry/schema";

import { orgContextOf, resolveOrgAccess, resolvePrincipal } from "../auth/principal";
import type { OrgContext } from "../context";
import type { ArtifactOptions } from "./artifacts";
import { artifactRoutes, handleArtifactProxy } from "./artifacts";
import { endpointNotFound, mlflowErrorResponse } from "./errors";
import { experimentRoutes } from "./experiments";
import { Message, readMessage } from "./request";
import { loggedModelRoutes } from "./logged-models";
import { modelVersionRoutes } from "./model-versions";
import { registeredModelRoutes } from "./registered-models";
import type { Route, Routes } from "./routes";
import { runRoutes } from "./runs";

const routes: Routes = { ...experimentRoutes, ...runRoutes, ...artifactRoutes, ...registeredModelRoutes, ...modelVersionRoutes };

export type MlflowOptions = { db: Executor; sessionUserId: string | null; artifacts: ArtifactOptions };

/**
 * The org a request acts in: the API key's (Bearer, or Basic auth's password), or a signed-in
 * user's; `X-MLFLOW-WORKSPACE` may name it and must then match.
 */
async function authorise(request: Request, options: MlflowOptions, scope: Route["scope"]): Promise<OrgContext> {
  const principal = await resolvePrincipal(options.db, { authorization: request.headers.get("authorization"), sessionUserId: options.sessionUserId });
  if (!principal) throw new GantryError("UNAUTHENTICATED", "Send an API key as MLFLOW_TRACKING_TOKEN (Bearer) or as the Basic-auth password");
  const workspace = request.headers.get("x-mlflow-workspace");
  const access = await resolveOrgAccess(options.db, principal, workspace && workspace !== "default" ? workspace : request.headers.get("x-gantry-org"));
  if (!access.scopes.includes(scope)) throw new GantryError("FORBIDDEN", `This ${principal.kind === "api_key" ? "key" : "account"} lacks the "${scope}" scope`);
  return orgContextOf(options.db, principal, access);
}

/** `/api/2.0/mlflow/<path>` (and `/ajax-api/2.0/mlflow/<path>`): MLflow's tracking REST API. */
/** Every route as "METHOD path" (path parameters as `{id}`): what the cross-org test must cover. */
export const mlflowRouteKeys = (): string[] => [...Object.keys(routes), ...loggedModelRoutes.map((r) => `${r.method} ${r.pattern.source.replace(/^\^|\$$/g, "").replace(/\(\[\^\/\]\+\)/g, "{id}").replace(/\(\.\+\)/g, "{key}").replace(/\\\//g, "/")}`)];

/** Exact routes first, then the ones with path parameters. */
function findRoute(method: string, path: string): Route | null {
  const exact = routes[`${method} ${path}`];
  if (exact) return exact;
  for (const r of loggedModelRoutes) {
    const match = r.method === method ? r.pattern.exec(path) : null;
    if (match) return { scope: r.scope, handle: (ctx, m) => r.handle(ctx, m, match.slice(1)) };
  }
  return null;
}

export async function handleMlflow(request: Request, path: string, options: MlflowOptions): Promise<Response> {
  const method = request.method === "HEAD" ? "GET" : request.method;
  const found = findRoute(method, path.replace(/^\/+|\/+$/g, ""));
  if (!found) return endpointNotFound(request.method, path);
  try {
    const ctx = await authorise(request, options, found.scope);
    const message = new Message(await readMessage(request));
    return Response.json(await found.handle(ctx, message, { store: options.artifacts.store }));
  } catch (error) {
    return mlflowErrorResponse(error);
  }
}

/** `/api/2.0/mlflow-artifacts/<path>`: the artifact proxy behind mlflow-artifacts:/ URIs. */
export async function handleMlflowArtifacts(request: Request, path: string, options: MlflowOptions): Promise<Response> {
  try {
    const scope = request.method === "GET" || request.method === "HEAD" ? "read" : "write";
    const ctx = await authorise(request, options, scope);
    return await handleArtifactProxy(ctx, request, path.replace(/^\/+/, ""), options.artifacts);
  } catch (error) {
    return mlflowErrorResponse(error);
  }
}

/** `GET /api/3.0/mlflow/server-info`: what newer clients probe before using optional features. */
export const handleServerInfo = () => Response.json({ store_type: "SqlStore", workspaces_enabled: true, multipart_upload_enabled: false, multipart_download_enabled: false });
