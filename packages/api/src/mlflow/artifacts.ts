import { Readable } from "node:stream";

import { GantryError } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import type { ArtifactOwner } from "../tracking/artifacts";
import { deleteArtifact, getArtifact, listArtifacts, listRunArtifacts, putArtifact } from "../tracking/artifacts";
import { loggedModelRow } from "../tracking/logged-models";
import { runRow } from "../tracking/runs";
import { decodePathPart, readMessage, Message } from "./request";
import type { Routes } from "./routes";

export type ArtifactOptions = { store: ArtifactStore; maxBytes: number };

/**
 * The layouts of our mlflow-artifacts:/ URIs: `<experiment_id>/<run_id>/artifacts/<path>` for runs,
 * `<experiment_id>/models/<model_id>/artifacts/<path>` for MLflow 3 logged models.
 */
async function locate(ctx: OrgContext, artifactPath: string): Promise<{ owner: ArtifactOwner; path: string }> {
  const parts = artifactPath.split("/");
  const isModel = parts[1] === "models";
  const [experimentId, ownerId, root, ...rest] = isModel ? [parts[0], parts[2], parts[3], ...parts.slice(4)] : parts;
  if (!experimentId || !ownerId || root !== "artifacts") {
    throw new GantryError("INVALID_INPUT", `Artifact paths look like <experiment_id>/<run_id>/artifacts/<path>; got '${artifactPath}'`, { field: "path" });
  }
  const owner = isModel ? await loggedModelRow(ctx, ownerId) : await runRow(ctx, ownerId);
  if (owner.experimentId !== experimentId) throw new GantryError("NOT_FOUND", `'${ownerId}' not found in experiment ${experimentId}`, { field: "path" });
  return { owner: { kind: isModel ? "model" : "run", id: owner.id }, path: rest.join("/") };
}

/** The mlflow-artifacts proxy: GET, PUT, DELETE of one file, and GET of a listing. */
export async function handleArtifactProxy(ctx: OrgContext, request: Request, subPath: string, options: ArtifactOptions): Promise<Response> {
  if (subPath === "artifacts" && request.method === "GET") {
    const m = new Message(await readMessage(request));
    const dir = (m.string("path") ?? "").replace(/\/+$/, "");
    if (!dir) return Response.json({});
    const { owner, path } = await locate(ctx, dir);
    const listing = await listArtifacts(ctx, { owner, path });
    // Paths in this listing are relative to the directory asked for.
    const files = listing.files.map((f) => ({ path: f.path.split("/").at(-1), is_dir: f.isDir, ...(f.isDir ? {} : { file_size: f.fileSize }) }));
    return Response.json(files.length ? { files } : {});
  }
  if (!subPath.startsWith("artifacts/")) throw new GantryError("NOT_FOUND", `No artifact route ${subPath}`);
  const { owner, path } = await locate(ctx, decodePathPart(subPath.slice("artifacts/".length)));
  if (request.method === "PUT") {
    if (!request.body) throw new GantryError("INVALID_INPUT", "Empty artifact body", { field: "body" });
    const declared = Number(request.headers.get("content-length") ?? 0);
    if (declared > options.maxBytes) throw new GantryError("INVALID_INPUT", `Artifact is ${declared} bytes; the limit is ${options.maxBytes}`, { field: "body" });
    await putArtifact(ctx, { owner, path, body: request.body as unknown as AsyncIterable<Uint8Array>, contentType: request.headers.get("content-type"), store: options.store, maxBytes: options.maxBytes });
    return Response.json({});
  }
  if (request.method === "GET") {
    const artifact = await getArtifact(ctx, { owner, path, store: options.store });
    const body = Readable.toWeb(await artifact.body()) as ReadableStream<Uint8Array>;
    return new Response(body, { headers: { "content-type": artifact.contentType ?? "application/octet-stream", "content-length": String(artifact.size), "x-content-sha256": artifact.sha256 } });
  }
  if (request.method === "DELETE") {
    await deleteArtifact(ctx, { owner, path });
    return Response.json({});
  }
  throw new GantryError("NOT_FOUND", `No artifact route ${request.method} ${subPath}`);
}

/** The tracking API's artifacts/list. */
export const artifactRoutes: Routes = {
  "GET artifacts/list": {
    scope: "read",
    handle: async (ctx, m) => {
      const listing = await listRunArtifacts(ctx, { runId: m.runId(), path: m.string("path") });
      return {
        root_uri: listing.rootUri,
        ...(listing.files.length ? { files: listing.files.map((f) => ({ path: f.path, is_dir: f.isDir, ...(f.isDir ? {} : { file_size: f.fileSize }) })) } : {}),
      };
    },
  },
};
