import { Readable } from "node:stream";

import type { Executor } from "@gantry/db";
import { GantryError } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import { orgContextOf, resolveOrgAccess, resolvePrincipal } from "../auth/principal";
import { getRunArtifact } from "../tracking/artifacts";
import { errorResponse } from "./errors";

/**
 * `GET /api/v1/runs/{runId}/artifact?path=…&org=…`: one artifact's bytes for the portal (a
 * session cannot set headers on an <img>, so the org may come as a query parameter) and for keys.
 */
export async function handleArtifactDownload(db: Executor, request: Request, runId: string, options: { sessionUserId: string | null; store: ArtifactStore }): Promise<Response> {
  try {
    const url = new URL(request.url);
    const principal = await resolvePrincipal(db, { authorization: request.headers.get("authorization"), sessionUserId: options.sessionUserId });
    if (!principal) throw new GantryError("UNAUTHENTICATED", "Sign in or send an API key (Authorization: Bearer <key>)");
    const access = await resolveOrgAccess(db, principal, request.headers.get("x-gantry-org") ?? url.searchParams.get("org"));
    if (!access.scopes.includes("read")) throw new GantryError("FORBIDDEN", 'This key lacks the "read" scope');
    const path = url.searchParams.get("path");
    if (!path) throw new GantryError("INVALID_INPUT", "path is required", { field: "path" });
    const artifact = await getRunArtifact(orgContextOf(db, principal, access), { runId, path, store: options.store });
    const body = Readable.toWeb(await artifact.body()) as ReadableStream<Uint8Array>;
    const inline = /^(image\/|text\/|application\/json)/.test(artifact.contentType ?? "");
    return new Response(body, {
      headers: {
        "content-type": artifact.contentType ?? "application/octet-stream",
        "content-length": String(artifact.size),
        "content-disposition": `${inline ? "inline" : "attachment"}; filename="${encodeURIComponent(artifact.path.split("/").at(-1) ?? "artifact")}"`,
        // Artifacts are user content: never let the browser run them as our origin.
        "content-security-policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        "x-content-type-options": "nosniff",
        "cache-control": "private, max-age=60",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
