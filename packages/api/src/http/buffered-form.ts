import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

import { Busboy } from "@fastify/busboy";

import { GantryError } from "@gantry/schema";

export type BufferedForm = { fields: Map<string, string>; files: Map<string, Buffer> };

const MAX_FIELD_BYTES = 1024 * 1024;

/**
 * A small `multipart/form-data` form read whole into memory: for uploads whose parts are used
 * together (a model's topology and weights), unlike a dataset's CSV, which is streamed. The file
 * parts together may hold at most `maxBytes`; more is INVALID_INPUT naming the part that crossed it.
 */
export function readBufferedForm(contentType: string, body: ReadableStream<Uint8Array>, { maxBytes, limitName }: { maxBytes: number; limitName: string }): Promise<BufferedForm> {
  return new Promise((resolve, reject) => {
    const fail = (message: string, field: string, cause?: unknown) => {
      reject(new GantryError("INVALID_INPUT", message, { field, cause }));
      source.unpipe();
      source.resume();
    };
    let busboy: ReturnType<typeof Busboy>;
    try {
      busboy = Busboy({ headers: { "content-type": contentType }, limits: { files: 4, fields: 20, parts: 30, fieldSize: MAX_FIELD_BYTES } });
    } catch (error) {
      reject(new GantryError("INVALID_INPUT", `Malformed multipart/form-data request: ${error instanceof Error ? error.message : String(error)}`, { field: "body", cause: error }));
      return;
    }
    const fields = new Map<string, string>();
    const files = new Map<string, Buffer>();
    let total = 0;
    let failed = false;
    busboy.on("field", (name, value, _nameTruncated, valueTruncated) => {
      if (valueTruncated) {
        failed = true;
        fail(`The form field '${name}' is longer than ${MAX_FIELD_BYTES} bytes`, name);
      } else fields.set(name, value);
    });
    busboy.on("file", (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => {
        if (failed) return;
        total += chunk.length;
        if (total > maxBytes) {
          failed = true;
          fail(`The upload is larger than ${maxBytes} bytes (${limitName})`, name);
          return;
        }
        chunks.push(chunk);
      });
      stream.on("end", () => {
        if (!failed) files.set(name, Buffer.concat(chunks));
      });
    });
    busboy.on("finish", () => {
      if (!failed) resolve({ fields, files });
    });
    busboy.on("error", (error: unknown) => {
      if (failed) return;
      failed = true;
      fail(`Malformed multipart/form-data request: ${error instanceof Error ? error.message : String(error)}`, "body", error);
    });
    const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
    source.on("error", (error) => {
      if (failed) return;
      failed = true;
      fail(`The upload was interrupted: ${error.message}`, "body", error);
    });
    source.pipe(busboy);
  });
}
