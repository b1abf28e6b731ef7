import { Readable } from "node:stream";

import { GantryError } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { deleteRunArtifact, getRunArtifact, listRunArtifacts, putRunArtifact } from "../tracking/artifacts";
import { runRow } from "../tracking/runs";
import { readMessage, Message } from "./request";
import type { Routes } from "./routes";

export type ArtifactOptions = { store: ArtifactStore; maxBytes: number };

/** `<experiment_id>/<run_id>/artifacts/<path>`: the layout of the run's mlflow-artifacts:/ URI. */
async function locate(ctx: OrgContext, artifactPath: string) {
  const [experimentId, runId, root, ...rest] = artifactPath.split("/");
  if (!experimentId || !runId || root !== "artifacts") {
    throw new GantryError("INVALID_INPUT", `Artifact paths look like <experiment_id>/<run_id>/artifacts/<path>; got '${artifactPath}'`, { field: "path" });
  }
  const run = await runRow(ctx, runId);
  if (run.experimentId !== experimentId) throw new GantryError("NOT_FOUND", `Run '${runId}' not found in experiment ${experimentId}`, { field: "path" });
  return { runId: run.id, path: rest.join("/") };
}

/** The mlflow-artifacts proxy: GET, PUT, DELETE of one file, and GET of a listing. */
export async function handleArtifactProxy(ctx: OrgContext, request: Request, subPath: string, options: ArtifactOptions): Promise<Response> {
  if (subPath === "artifacts" && request.method === "GET") {
    const m = new Message(await readMessage(request));
    const dir = (m.string("path") ?? "").replace(/\/+$/, "");
    if (!dir) return Response.json({});
    const { runId, path } = await locate(ctx, dir);
    const listing = await listRunArtifacts(ctx, { runId, path });
    // Paths in this listing are relative to the directory asked for.
    const files = listing.files.map((f) => ({ path: f.path.split("/").at(-1), is_dir: f.isDir, ...(f.isDir ? {} : { file_size: f.fileSize }) }));
    return Response.json(files.length ? { files } : {});
  }
  if (!subPath.startsWith("artifacts/")) throw new GantryError("NOT_FOUND", `No artifact route ${subPath}`);
  const { runId, path } = await locate(ctx, decodeURIComponent(subPath.slice("artifacts/".length)));
  if (request.method === "PUT") {
    if (!request.body) throw new GantryError("INVALID_INPUT", "Empty artifact body", { field: "body" });
    const declared = Number(request.headers.get("content-length") ?? 0);
    if (declared > options.maxBytes) throw new GantryError("INVALID_INPUT", `Artifact is ${declared} bytes; the limit is ${options.maxBytes}`, { field: "body" });
    await putRunArtifact(ctx, { runId, path, body: request.body as unknown as AsyncIterable<Uint8Array>, contentType: request.headers.get("content-type"), store: options.store, maxBytes: options.maxBytes });
    return Response.json({});
  }
  if (request.method === "GET") {
    const artifact = await getRunArtifact(ctx, { runId, path, store: options.store });
    const body = Readable.toWeb(await artifact.body()) as ReadableStream<Uint8Array>;
    return new Response(body, { headers: { "content-type": artifact.contentType ?? "application/octet-stream", "content-length": String(artifact.size), "x-content-sha256": artifact.sha256 } });
  }
  if (request.method === "DELETE") {
    await deleteRunArtifact(ctx, { runId, path });
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
