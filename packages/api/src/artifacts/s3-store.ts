import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

import type { S3ClientConfig } from "@aws-sdk/client-s3";
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

import type { ArtifactStore, TempCleaner } from "./store";
import {
  artifactNotFound,
  contentPath,
  digestingSource,
  parseRange,
  parseSha256,
  rangeNotSatisfiable,
  TEMP_MAX_AGE_MS,
} from "./store";

export type S3ArtifactStoreOptions = {
  bucket: string;
  /** Key prefix inside the bucket, e.g. `gantry/`; a trailing slash is added when missing. */
  prefix?: string;
  region?: string;
  /** For S3-compatible servers (MinIO, Ceph, R2 …); leave unset for AWS. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Both or neither; without them the SDK's default credential chain applies. */
  accessKeyId?: string;
  secretAccessKey?: string;
};

export type S3ArtifactStore = ArtifactStore &
  TempCleaner & {
    readonly client: S3Client;
    /** Closes the client's connection pool. */
    close(): void;
  };

/** Parts buffered at once by the multipart upload: queueSize × 5 MiB bounds the memory an upload holds. */
const UPLOAD_QUEUE_SIZE = 2;

const statusOf = (error: unknown): number | undefined =>
  error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;

function normalisePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? "").replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "" : `${trimmed}/`;
}

function clientConfig(options: S3ArtifactStoreOptions): S3ClientConfig {
  const { region, endpoint, forcePathStyle, accessKeyId, secretAccessKey } = options;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new Error("S3 artifact storage needs both accessKeyId and secretAccessKey, or neither");
  }
  return {
    region: region ?? "us-east-1",
    ...(endpoint !== undefined && {
      endpoint,
      // The SDK's default integrity checksums (aws-chunked bodies with trailers) are not understood by
      // many S3-compatible servers; the content hash is verified by this store anyway.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    }),
    ...(forcePathStyle !== undefined && { forcePathStyle }),
    ...(accessKeyId !== undefined && secretAccessKey !== undefined && { credentials: { accessKeyId, secretAccessKey } }),
  };
}

/**
 * Artifacts as objects under `<prefix>sha256/ab/cd/<hash>`. The hash is only known once the body has
 * streamed, so a put uploads to `<prefix>tmp/<uuid>` while hashing, then copies to the content key
 * (skipped when the content is already there) and deletes the temp key. Server-side copy is limited
 * to 5 GB by S3's CopyObject. A crash mid-put leaves a temp key, which `cleanup()` removes later;
 * a bucket lifecycle rule should abort incomplete multipart uploads.
 */
export function createS3ArtifactStore(options: S3ArtifactStoreOptions): S3ArtifactStore {
  const client = new S3Client(clientConfig(options));
  const Bucket = options.bucket;
  const prefix = normalisePrefix(options.prefix);
  const tempPrefix = `${prefix}tmp/`;
  const keyOf = (sha256: string) => `${prefix}sha256/${contentPath(sha256)}`;

  async function deleteKey(Key: string): Promise<void> {
    await client.send(new DeleteObjectCommand({ Bucket, Key }));
  }

  async function exists(Key: string): Promise<boolean> {
    try {
      await client.send(new HeadObjectCommand({ Bucket, Key }));
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  return {
    client,
    close: () => client.destroy(),

    async put(body, putOptions) {
      const source = digestingSource(body, putOptions);
      const tempKey = `${tempPrefix}${randomUUID()}`;
      const stream = Readable.from(source.chunks);
      try {
        const upload = new Upload({
          client,
          params: { Bucket, Key: tempKey, Body: stream, ContentType: "application/octet-stream" },
          queueSize: UPLOAD_QUEUE_SIZE,
        });
        await upload.done();
      } catch (error) {
        stream.destroy(); // stops pulling from the caller's body
        // Best effort: a single-request put failing mid-stream stores nothing, and a failed
        // multipart upload is aborted by lib-storage; this catches a put that completed anyway.
        await deleteKey(tempKey).catch(() => undefined);
        // Aborting the multipart upload can fail too and replace the error: the limit is the cause.
        throw source.limitError() ?? error;
      }

      try {
        const artifact = source.result();
        const Key = keyOf(artifact.sha256);
        if (!(await exists(Key))) {
          // CopySource is "bucket/key", URL-encoded; our keys are hex, uuids, slashes and the prefix.
          const CopySource = `${Bucket}/${tempKey.split("/").map(encodeURIComponent).join("/")}`;
          await client.send(new CopyObjectCommand({ Bucket, Key, CopySource }));
        }
        return artifact;
      } finally {
        await deleteKey(tempKey).catch(() => undefined);
      }
    },

    async get(sha256, range) {
      const hash = parseSha256(sha256);
      const bounds = parseRange(range);
      try {
        const response = await client.send(
          new GetObjectCommand({
            Bucket,
            Key: keyOf(hash),
            ...(bounds && { Range: `bytes=${bounds.start}-${bounds.end ?? ""}` }),
          }),
        );
        const payload: unknown = response.Body;
        if (payload instanceof Readable) return payload;
        if (payload instanceof ReadableStream) return Readable.fromWeb(payload as WebReadableStream<Uint8Array>);
        // An empty object can come back without a body.
        return Readable.from([]);
      } catch (error) {
        const status = statusOf(error);
        if (status === 404) throw artifactNotFound(hash);
        if (status === 416 && bounds) throw rangeNotSatisfiable(bounds.start, await sizeOf(hash));
        throw error;
      }
    },

    async has(sha256) {
      return exists(keyOf(parseSha256(sha256)));
    },

    async delete(sha256) {
      // S3 deletes are idempotent: an unknown key is not an error.
      await deleteKey(keyOf(parseSha256(sha256)));
    },

    async cleanup({ olderThanMs = TEMP_MAX_AGE_MS } = {}) {
      const cutoff = Date.now() - olderThanMs;
      let removed = 0;
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: tempPrefix, ContinuationToken }));
        const stale = (page.Contents ?? []).filter(
          (object) => object.Key !== undefined && (object.LastModified?.getTime() ?? 0) < cutoff,
        );
        if (stale.length > 0) {
          await client.send(
            new DeleteObjectsCommand({ Bucket, Delete: { Objects: stale.map(({ Key }) => ({ Key })), Quiet: true } }),
          );
          removed += stale.length;
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken !== undefined);
      return { removed };
    },
  };

  async function sizeOf(hash: string): Promise<number> {
    const head = await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(hash) }));
    return head.ContentLength ?? 0;
  }
}
