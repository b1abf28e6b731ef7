import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";

import type { Database } from "@gantry/db";
import type postgres from "postgres";

import { createFsArtifactStore } from "../artifacts";
import { handleArtifactDownload, handleDatasetDownload, handleDatasetUpload, handleHealth, handleModelUpload, handleServingInfo, handleTrpc, handleWhoami } from "../http";
import { handleMlflow, handleMlflowArtifacts, handleServerInfo } from "../mlflow";

/** node:http → fetch Request, body streamed (as Next's route handlers get it). */
function toRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", base), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}

async function send(res: ServerResponse, response: Response) {
  res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  if (response.body) for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
  res.end();
}

/**
 * The API routes of the web app (same handlers, real HTTP) without Next.js, for tests of the
 * client, the CLI, the REST and MLflow surfaces. No sessions: callers use API keys. Artifacts go
 * to a filesystem store in a temporary directory unless `artifactRoot` is given.
 */
export async function startApiServer(db: Database, sql: postgres.Sql, options: { artifactRoot?: string; artifactMaxBytes?: number; datasetMaxBytes?: number; servingUrl?: string } = {}) {
  const artifactRoot = options.artifactRoot ?? (await mkdtemp(path.join(tmpdir(), "gantry-artifacts-")));
  const mlflow = { db, sessionUserId: null, artifacts: { store: createFsArtifactStore(artifactRoot), maxBytes: options.artifactMaxBytes ?? 64 * 1024 * 1024 } };
  const datasets = { sessionUserId: null, store: mlflow.artifacts.store, maxBytes: options.datasetMaxBytes ?? 256 * 1024 * 1024 };
  const server = createServer((req, res) => {
    void (async () => {
      const base = `http://${req.headers.host ?? "localhost"}`;
      const request = toRequest(req, base);
      const { pathname } = new URL(request.url);
      const mlflowPath = /^\/(?:ajax-)?api\/2\.0\/mlflow\/(.*)$/.exec(pathname)?.[1];
      const artifactPath = /^\/api\/2\.0\/mlflow-artifacts\/(.*)$/.exec(pathname)?.[1];
      const downloadRunId = /^\/api\/v1\/runs\/([^/]+)\/artifact$/.exec(pathname)?.[1];
      const datasetUpload = /^\/api\/v1\/datasets\/([^/]+)\/versions$/.exec(pathname);
      const modelUpload = /^\/api\/v1\/models\/([^/]+)\/versions$/.exec(pathname);
      const datasetDownload = /^\/api\/v1\/datasets\/([^/]+)\/versions\/([^/]+)\/download$/.exec(pathname);
      const response = pathname.startsWith("/api/trpc/")
        ? await handleTrpc(db, request, null, "/api/trpc", { artifactStore: mlflow.artifacts.store, serving: options.servingUrl ? { url: options.servingUrl } : undefined })
        : pathname === "/api/v1/whoami"
          ? await handleWhoami(db, request, null)
          : pathname === "/api/v1/serving"
            ? handleServingInfo(options.servingUrl)
          : pathname === "/api/health"
            ? await handleHealth(sql)
            : pathname === "/api/3.0/mlflow/server-info"
              ? handleServerInfo()
              : mlflowPath !== undefined
                ? await handleMlflow(request, mlflowPath, mlflow)
                : artifactPath !== undefined
                  ? await handleMlflowArtifacts(request, artifactPath, mlflow)
                  : downloadRunId !== undefined
                    ? await handleArtifactDownload(db, request, downloadRunId, { sessionUserId: null, store: mlflow.artifacts.store })
                    : datasetUpload && request.method === "POST"
                      ? await handleDatasetUpload(db, request, decodeURIComponent(datasetUpload[1] ?? ""), datasets)
                      : datasetDownload && request.method === "GET"
                        ? await handleDatasetDownload(db, request, decodeURIComponent(datasetDownload[1] ?? ""), decodeURIComponent(datasetDownload[2] ?? ""), datasets)
                        : modelUpload && request.method === "POST"
                          ? await handleModelUpload(db, request, decodeURIComponent(modelUpload[1] ?? ""), { sessionUserId: null, ...mlflow.artifacts })
                          : Response.json({ error: { code: "NOT_FOUND", message: `No route ${pathname}` } }, { status: 404 });
      await send(res, response);
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }) };
}
