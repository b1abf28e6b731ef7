import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

import { Busboy } from "@fastify/busboy";

import { GantryError } from "@gantry/schema";

export type MultipartUpload = {
  /** Fields that came before the file part. */
  fields: Map<string, string>;
  /** The `file` part, streamed: read it to the end (or destroy it) to let the form go on. */
  file: Readable;
  fileName: string;
  /** Resolves once the whole form is read, with the names of fields that came after the file (too late to apply). */
  done: () => Promise<string[]>;
};

const MAX_FIELD_BYTES = 1024 * 1024;

const formError = (message: string, cause?: unknown) => new GantryError("INVALID_INPUT", message, { field: "file", cause });

/**
 * A `multipart/form-data` upload with one `file` part, streamed through busboy: resolves when the
 * file part starts, with the fields read so far. Nothing is buffered but the small fields.
 */
export function readMultipartUpload(contentType: string, body: ReadableStream<Uint8Array>): Promise<MultipartUpload> {
  return new Promise((resolve, reject) => {
    let busboy: ReturnType<typeof Busboy>;
    try {
      busboy = Busboy({ headers: { "content-type": contentType }, limits: { files: 1, fields: 20, parts: 30, fieldSize: MAX_FIELD_BYTES } });
    } catch (error) {
      reject(formError(`Malformed multipart/form-data request: ${error instanceof Error ? error.message : String(error)}`, error));
      return;
    }
    const fields = new Map<string, string>();
    const late: string[] = [];
    let file: Readable | undefined;
    let finished = false;
    let failed: GantryError | undefined;
    const waiters: { resolve: (late: string[]) => void; reject: (e: unknown) => void }[] = [];
    const settle = () => {
      for (const w of waiters.splice(0)) if (failed) w.reject(failed);
      else w.resolve(late);
    };

    busboy.on("field", (name, value, _nameTruncated, valueTruncated) => {
      if (file) {
        late.push(name);
        return;
      }
      if (valueTruncated) {
        fail(formError(`The form field '${name}' is longer than ${MAX_FIELD_BYTES} bytes`));
        return;
      }
      fields.set(name, value);
    });
    busboy.on("file", (name, stream, fileName) => {
      if (name !== "file" || file) {
        stream.resume();
        return;
      }
      file = stream;
      resolve({
        fields,
        file: stream,
        fileName,
        done: () =>
          new Promise<string[]>((res, rej) => {
            if (failed) rej(failed);
            else if (finished) res(late);
            else waiters.push({ resolve: res, reject: rej });
          }),
      });
    });
    busboy.on("finish", () => {
      finished = true;
      if (!file) fail(formError("The form has no 'file' part: send the CSV as a file field named 'file'"));
      settle();
    });
    busboy.on("error", (error: unknown) => fail(formError(`Malformed multipart/form-data request: ${error instanceof Error ? error.message : String(error)}`, error)));

    function fail(error: GantryError) {
      if (failed) return;
      failed = error;
      reject(error);
      // The reader of the file part sees the failure as a stream error.
      file?.destroy(error);
      settle();
    }

    const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
    source.on("error", (error) => fail(formError(`The upload was interrupted: ${error.message}`, error)));
    source.pipe(busboy);
  });
}
