import type { Server } from "node:http";
import { createServer } from "node:http";

import type { Database } from "@gantry/db";
import { sql } from "@gantry/db";

export type ServeOptions = { db: Database; host: string; port: number; role: string };

/**
 * The serving role's HTTP server. For now it answers health checks; the per-org model endpoints
 * mount here (no Next.js on the prediction path).
 */
export async function startServeServer(options: ServeOptions): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (request.method === "GET" && url.pathname === "/healthz") {
      options.db
        .execute(sql`select 1`)
        .then(
          () => ({ status: 200, body: { status: "ok", role: options.role, database: "ok" } }),
          (error: unknown) => ({ status: 503, body: { status: "error", role: options.role, database: String(error) } }),
        )
        .then(({ status, body }) => {
          response.writeHead(status, { "content-type": "application/json" });
          response.end(JSON.stringify(body));
        });
      return;
    }
    response.writeHead(404, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: `No route for ${request.method} ${url.pathname}` }));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
