import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import type { Row } from "@gantry/ml";
import { loadPipeline, selectBackend } from "@gantry/ml";

/**
 * The serving benchmark's limit: a bare node:http server in its own process (as the worker is)
 * predicting with the same pipeline bytes (PIPELINE_FILE). It parses `{"instances":[…]}` with
 * JSON.parse, calls `pipeline.predict(rows)` and answers `{"predictions":[…]}`: no auth, no
 * validation, no logging, no metrics. Prints `bare: listening on http://127.0.0.1:PORT`.
 */
const file = process.env.PIPELINE_FILE;
if (!file) throw new Error("PIPELINE_FILE is not set");

await selectBackend();
const pipeline = await loadPipeline(new Uint8Array(await readFile(file)));

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const { instances } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { instances: Row[] };
    const body = JSON.stringify({ predictions: pipeline.predict(instances) });
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`bare: listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
