import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import type { Database } from "@gantry/db";
import type postgres from "postgres";

import { handleHealth, handleTrpc, handleWhoami } from "../http";

async function toRequest(req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url ?? "/", base), { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : body });
}

async function send(res: ServerResponse, response: Response) {
  res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * The API routes of the web app (same handlers, real HTTP) without Next.js, for tests of the
 * client, the CLI and the REST surfaces. No sessions: callers use API keys.
 */
export async function startApiServer(db: Database, sql: postgres.Sql) {
  const server = createServer((req, res) => {
    void (async () => {
      const base = `http://${req.headers.host ?? "localhost"}`;
      const request = await toRequest(req, base);
      const { pathname } = new URL(request.url);
      const response = pathname.startsWith("/api/trpc/")
        ? await handleTrpc(db, request, null)
        : pathname === "/api/v1/whoami"
          ? await handleWhoami(db, request, null)
          : pathname === "/api/health"
            ? await handleHealth(sql)
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
