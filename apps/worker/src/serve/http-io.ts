import type { IncomingMessage, ServerResponse } from "node:http";

import { GantryError, httpStatusOf } from "@gantry/schema";

/*
 * Reading bodies and writing answers on the serving port. Errors are answered as both protocols
 * answer them, `{"error": "<message>"}`, with TensorFlow Serving's status mapping
 * (http_server.cc `ToHTTPStatusCode`: FAILED_PRECONDITION is 400, UNAVAILABLE 503).
 */

/** An error with its own HTTP status, for what the domain error codes do not name (503, 405, 413). */
export class ServeError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The domain's HTTP mapping, except FAILED_PRECONDITION: TensorFlow Serving answers it with 400. */
const statusOfCode: Record<GantryError["code"], number> = { ...httpStatusOf, PRECONDITION_FAILED: 400 };

export function errorAnswer(error: unknown): { status: number; message: string; headers: Record<string, string> } {
  if (error instanceof ServeError) return { status: error.status, message: error.message, headers: error.headers };
  if (error instanceof GantryError) return { status: statusOfCode[error.code], message: error.message, headers: error.code === "TOO_MANY_REQUESTS" ? { "retry-after": "1" } : {} };
  return { status: 500, message: "Internal error", headers: {} };
}

export function sendJson(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers });
  response.end(body);
}

/** The body as text; 413 past `limit` bytes (the connection is closed: the rest is not read). */
export function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new ServeError(413, `the body is ${declared} bytes; the limit is ${limit}`, { connection: "close" }));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    request.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        request.pause();
        reject(new ServeError(413, `the body is over the limit of ${limit} bytes`, { connection: "close" }));
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8"));
    });
    request.on("error", (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}
