import { Readable } from "node:stream";

import type { Executor } from "@gantry/db";
import type { ColumnType } from "@gantry/schema";
import { GantryError, parseDatasetRef } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import { createDatasetVersion, openDatasetFile, resolveDatasetVersion } from "../datasets";
import { errorResponse } from "./errors";
import { readMultipartUpload } from "./multipart";
import { requestContext } from "./request-context";

export type DatasetRouteOptions = { sessionUserId: string | null; store: ArtifactStore };
export type DatasetUploadRouteOptions = DatasetRouteOptions & { maxBytes: number };

const RAW_TYPES = new Set(["", "text/csv", "application/csv", "text/plain", "application/octet-stream", "application/vnd.ms-excel"]);

/** The JSON of `columnTypes`; its content is validated by the service, with the column named. */
function parseColumnTypes(raw: string | null | undefined): Record<string, ColumnType> | undefined {
  if (raw === null || raw === undefined || raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw) as Record<string, ColumnType>;
  } catch {
    throw new GantryError("INVALID_INPUT", `columnTypes must be a JSON object such as {"price":"numeric"}; got '${raw.slice(0, 100)}'`, { field: "columnTypes" });
  }
}

/**
 * `POST /api/v1/datasets/{name}/versions`: a CSV as the next version. The body is the file
 * (`text/csv` or `application/octet-stream`; `?description=`, `?columnTypes=<JSON>`,
 * `?fileName=`) or a `multipart/form-data` form with a `file` part, the optional `description` and
 * `columnTypes` fields placed before it. Streamed, never buffered whole. 201 with the version,
 * 200 with `duplicate: true` when the content already was a version of this dataset.
 */
export async function handleDatasetUpload(db: Executor, request: Request, name: string, options: DatasetUploadRouteOptions): Promise<Response> {
  try {
    const ctx = await requestContext(db, request, { sessionUserId: options.sessionUserId, scope: "write", orgFromQuery: false });
    const declared = Number(request.headers.get("content-length") ?? 0);
    if (declared > options.maxBytes + 64 * 1024) {
      throw new GantryError("INVALID_INPUT", `The upload is ${declared} bytes; the dataset limit is ${options.maxBytes} bytes (GANTRY_MAX_DATASET_BYTES)`, { field: "file" });
    }
    const contentType = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    const query = new URL(request.url).searchParams;

    if (contentType === "multipart/form-data") {
      if (!request.body) throw new GantryError("INVALID_INPUT", "The form is empty: send the CSV in a 'file' part", { field: "file" });
      const form = await readMultipartUpload(request.headers.get("content-type") ?? "", request.body);
      const result = await createDatasetVersion(ctx, options.store, {
        name,
        body: form.file,
        fileName: form.fileName || undefined,
        description: form.fields.get("description") ?? undefined,
        columnTypes: parseColumnTypes(form.fields.get("columnTypes")),
        maxBytes: options.maxBytes,
      });
      // The version is stored by now: a problem in what follows the file part only loses those fields.
      const ignored = await form.done().catch(() => ["(the rest of the form was malformed)"]);
      return Response.json({ ...result, ...(ignored.length ? { ignoredFields: ignored } : {}) }, { status: result.duplicate ? 200 : 201 });
    }
    if (!RAW_TYPES.has(contentType)) {
      throw new GantryError("INVALID_INPUT", `Send the CSV as text/csv, application/octet-stream or multipart/form-data; got ${contentType}`, { field: "content-type" });
    }
    const result = await createDatasetVersion(ctx, options.store, {
      name,
      body: request.body ? withoutCancel(request.body) : emptyBody(),
      fileName: query.get("fileName") ?? undefined,
      description: query.get("description") ?? undefined,
      columnTypes: parseColumnTypes(query.get("columnTypes")),
      maxBytes: options.maxBytes,
    });
    return Response.json(result, { status: result.duplicate ? 200 : 201 });
  } catch (error) {
    // The rest of the body may be unread: answer, then close the connection rather than drain it.
    const response = errorResponse(error);
    response.headers.set("connection", "close");
    return response;
  }
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

/**
 * The request body, read without cancelling it when the reader stops early (a bad row, the size
 * limit): cancelling destroys the incoming request, and with it the socket, so the client would
 * get a reset instead of the 400 that says what was wrong.
 */
async function* withoutCancel(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** `GET /api/v1/datasets/{name}/versions/{version}/download` (`version` a number or `latest`): the CSV, streamed. */
export async function handleDatasetDownload(db: Executor, request: Request, name: string, version: string, options: DatasetRouteOptions): Promise<Response> {
  try {
    const ctx = await requestContext(db, request, { sessionUserId: options.sessionUserId, scope: "read", orgFromQuery: true });
    const ref = parseVersionRef(name, version);
    const resolved = await resolveDatasetVersion(ctx, ref);
    const file = await openDatasetFile(ctx, options.store, resolved.id);
    const body = Readable.toWeb(await file.body()) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-length": String(file.size),
        "content-disposition": `attachment; filename="${asciiFileName(file.fileName)}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        "x-content-sha256": file.sha256,
        "x-dataset-version": String(file.version),
        etag: `"${file.sha256}"`,
        // User content: never let a browser run it as our origin.
        "content-security-policy": "default-src 'none'; sandbox",
        "x-content-type-options": "nosniff",
        "cache-control": "private, max-age=60",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

function parseVersionRef(name: string, version: string) {
  if (version !== "latest" && !/^\d+$/.test(version)) {
    throw new GantryError("INVALID_INPUT", `version must be a number or 'latest'; got '${version}'`, { field: "version" });
  }
  try {
    return parseDatasetRef(`${name}@${version}`);
  } catch {
    throw new GantryError("NOT_FOUND", `No dataset named '${name}'`, { field: "name" });
  }
}

const asciiFileName = (name: string) => name.replace(/[^\x20-\x7e]|["\\]/g, "_");
