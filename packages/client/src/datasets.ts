import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";

import type { TRPCClient } from "@trpc/client";

import type { AppRouter } from "@gantry/api";
import type { DatasetDetail, DatasetSummary, DatasetVersion } from "@gantry/schema/dataset-contracts";
import type { ColumnType } from "@gantry/schema/datasets";
import { parseDatasetRef } from "@gantry/schema/datasets";

import { toGantryApiError } from "./client";

/** What the upload route answers (JSON: dates as ISO strings). */
export type DatasetUploadResponse = {
  version: Omit<DatasetVersion, "createdAt"> & { createdAt: string };
  /** The same content already was a version of this dataset: that version, nothing new stored. */
  duplicate: boolean;
};

export type DatasetUploadOptions = {
  name: string;
  description?: string;
  /** Type overrides by column: `{ zip: "categorical" }`. */
  columnTypes?: Record<string, ColumnType>;
  /** Shown with the version; defaults to the file's base name for a path. */
  fileName?: string;
  /** Called as bytes go out; `total` is known for files. */
  onProgress?: (sent: number, total: number | undefined) => void;
};

export type DatasetSource = string | Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export type DatasetsClient = {
  /** Streams a CSV (a path, a Node stream, a web stream or any async source of bytes) as the dataset's next version. */
  upload: (source: DatasetSource, options: DatasetUploadOptions) => Promise<DatasetUploadResponse>;
  list: () => Promise<DatasetSummary[]>;
  /** A dataset and its versions, newest first. */
  get: (name: string) => Promise<DatasetDetail>;
  /** `name`, `name@3` or `name@latest`: the version's schema and profile. */
  version: (ref: string) => Promise<DatasetVersion>;
};

type Rest = <T>(path: string, init?: RequestInit) => Promise<T>;

/** A web stream over the source's bytes that reports each chunk as it is pulled (so as it is sent). */
function countingStream(source: AsyncIterable<Uint8Array>, onChunk: (bytes: number) => void): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) {
        controller.close();
        return;
      }
      onChunk(value.byteLength);
      controller.enqueue(value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

export function createDatasetsClient(api: TRPCClient<AppRouter>, rest: Rest): DatasetsClient {
  const wrap = <A extends unknown[], T>(call: (...args: A) => Promise<T>) => (...args: A) => call(...args).catch((error: unknown) => Promise.reject(toGantryApiError(error)));

  async function upload(source: DatasetSource, options: DatasetUploadOptions): Promise<DatasetUploadResponse> {
    let total: number | undefined;
    let bytes: AsyncIterable<Uint8Array>;
    let fileName = options.fileName;
    if (typeof source === "string") {
      total = (await stat(source)).size;
      bytes = createReadStream(source);
      fileName ??= path.basename(source);
    } else {
      bytes = source as AsyncIterable<Uint8Array>;
    }
    const query = new URLSearchParams();
    if (options.description !== undefined) query.set("description", options.description);
    if (options.columnTypes && Object.keys(options.columnTypes).length) query.set("columnTypes", JSON.stringify(options.columnTypes));
    if (fileName) query.set("fileName", fileName);
    let sent = 0;
    options.onProgress?.(0, total);
    const body = countingStream(bytes, (n) => {
      sent += n;
      options.onProgress?.(sent, total);
    });
    const qs = query.toString();
    return rest<DatasetUploadResponse>(`/api/v1/datasets/${encodeURIComponent(options.name)}/versions${qs ? `?${qs}` : ""}`, {
      method: "POST",
      body,
      headers: { "content-type": "text/csv", ...(total !== undefined ? { "content-length": String(total) } : {}) },
      duplex: "half",
    } as RequestInit);
  }

  return {
    upload,
    list: wrap(() => api.dataset.list.query()),
    get: wrap((name: string) => api.dataset.get.query({ name })),
    version: wrap(async (ref: string) => {
      let parsed;
      try {
        parsed = parseDatasetRef(ref);
      } catch {
        throw new Error(`'${ref}' is not a dataset reference: use NAME, NAME@VERSION or NAME@latest`);
      }
      return api.dataset.version.query(parsed);
    }),
  };
}
