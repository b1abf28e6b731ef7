import { createHash } from "node:crypto";
import type { Readable } from "node:stream";

import { GantryError } from "@gantry/schema";

/** What `put` accepts: a Node stream or any async source of bytes (a generator, a web stream). */
export type ArtifactBody = Readable | AsyncIterable<Uint8Array>;

export type PutArtifactOptions = {
  /** Largest body accepted, in bytes; a larger one is rejected with nothing stored. */
  maxBytes?: number;
};

export type StoredArtifact = { sha256: string; size: number };

/** A byte range, both ends inclusive as in HTTP `Range: bytes=start-end`; `end` past the size is clamped. */
export type ByteRange = { start: number; end?: number };

/**
 * Content-addressed bytes: an artifact is named by the sha256 of its content, so the same content
 * is stored once and a stored artifact never changes. Bodies are streamed, never held whole.
 */
export type ArtifactStore = {
  put(body: ArtifactBody, options?: PutArtifactOptions): Promise<StoredArtifact>;
  /** Throws NOT_FOUND for an unknown hash, INVALID_INPUT for a range that starts past the end. */
  get(sha256: string, range?: ByteRange): Promise<Readable>;
  has(sha256: string): Promise<boolean>;
  /** Idempotent: deleting an unknown hash is not an error. */
  delete(sha256: string): Promise<void>;
};

export type TempCleanupOptions = {
  /** Temp uploads younger than this may still be in flight in another process; default one hour. */
  olderThanMs?: number;
};

/** Removes what crashed uploads left behind; run it when a process starts. */
export type TempCleaner = {
  cleanup(options?: TempCleanupOptions): Promise<{ removed: number }>;
};

export const TEMP_MAX_AGE_MS = 60 * 60 * 1000;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Validates and normalises a hash; it becomes part of a path or key, so nothing else gets through. */
export function parseSha256(sha256: string): string {
  const normalised = typeof sha256 === "string" ? sha256.toLowerCase() : "";
  if (!SHA256_HEX.test(normalised)) {
    throw new GantryError("INVALID_INPUT", "An artifact hash must be 64 hexadecimal characters", { field: "sha256" });
  }
  return normalised;
}

/** `ab/cd/<hash>`: two levels of fan-out keep directories (and S3 listings) small. */
export function contentPath(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

export function parseRange(range: ByteRange | undefined): { start: number; end: number | undefined } | undefined {
  if (range === undefined) return undefined;
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new GantryError("INVALID_INPUT", "A range must start at a non-negative integer", { field: "range" });
  }
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) {
    throw new GantryError("INVALID_INPUT", "A range must end at an integer no smaller than its start", { field: "range" });
  }
  return { start, end };
}

export function rangeNotSatisfiable(start: number, size: number): GantryError {
  return new GantryError("INVALID_INPUT", `The range starts at byte ${start}, past the end of a ${size}-byte artifact`, {
    field: "range",
  });
}

export function artifactNotFound(sha256: string): GantryError {
  return new GantryError("NOT_FOUND", `No artifact with sha256 ${sha256}`);
}

function parseMaxBytes(maxBytes: number | undefined): number {
  if (maxBytes === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new GantryError("INVALID_INPUT", "maxBytes must be a non-negative integer", { field: "maxBytes" });
  }
  return maxBytes;
}

export type DigestingSource = {
  /** The body's chunks, passed through as they arrive; throws INVALID_INPUT once past `maxBytes`. */
  chunks: AsyncGenerator<Buffer, void, undefined>;
  /** The digest of everything read; only valid after `chunks` has been read to the end. */
  result(): StoredArtifact;
  /** Set when the limit was exceeded, so callers can report it over whatever error a backend adds. */
  limitError(): GantryError | undefined;
};

/** Hashes and counts a body while it streams through, without buffering it. */
export function digestingSource(body: ArtifactBody, options?: PutArtifactOptions): DigestingSource {
  const maxBytes = parseMaxBytes(options?.maxBytes);
  const hash = createHash("sha256");
  let size = 0;
  let sha256: string | undefined;
  let exceeded: GantryError | undefined;

  async function* chunks(): AsyncGenerator<Buffer, void, undefined> {
    // for-await closes the source (generator `return`, stream `destroy`) if we stop early.
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      // A plain Uint8Array may be a view its producer reuses; a Buffer from a stream never is.
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += bytes.byteLength;
      if (size > maxBytes) {
        exceeded = new GantryError("INVALID_INPUT", `The artifact exceeds the limit of ${maxBytes} bytes`, { field: "body" });
        throw exceeded;
      }
      hash.update(bytes);
      yield bytes;
    }
    sha256 = hash.digest("hex");
  }

  return {
    chunks: chunks(),
    result() {
      if (sha256 === undefined) throw new Error("The artifact body has not been read to the end");
      return { sha256, size };
    },
    limitError: () => exceeded,
  };
}
