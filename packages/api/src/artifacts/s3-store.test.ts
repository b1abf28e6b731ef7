import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { S3ArtifactStore } from "./s3-store";
import { createArtifactStore } from "./index";
import { createS3ArtifactStore } from "./s3-store";
import { artifactStoreContract, bytesOf, chunked, expectGantryError, readAll, sha256Of } from "./store-contract";

const bucket = "artifacts";
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
let directory: string;
let server: S3rver;
let endpoint: string;
let store: S3ArtifactStore;
let storeCount = 0;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "gantry-s3rver-"));
  server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

beforeEach(() => {
  // Each test gets its own prefix: nothing one test stores is visible to the next.
  storeCount += 1;
  store = createS3ArtifactStore({
    bucket,
    prefix: `test-${storeCount}/`,
    endpoint,
    forcePathStyle: true,
    region: "us-east-1",
    ...credentials,
  });
});

afterEach(() => store.close());

async function listKeys(): Promise<string[]> {
  const page = await store.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `test-${storeCount}/` }));
  return (page.Contents ?? []).map((object) => object.Key ?? "");
}

describe("s3 artifact store: the store contract", () => {
  artifactStoreContract({ store: () => store, listStored: listKeys });
});

describe("s3 artifact store", () => {
  it("keeps content under <prefix>sha256/ab/cd/<hash> and removes the temp key", async () => {
    const { sha256 } = await store.put(Readable.from([Buffer.from("hello artifacts")]));
    expect(await listKeys()).toEqual([`test-${storeCount}/sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`]);
  });

  it("streams a body larger than one part through a multipart upload", async () => {
    const content = bytesOf(12 * 1024 * 1024, 31);
    const { body, state } = chunked(content, 256 * 1024);
    const result = await store.put(body);
    expect(result).toEqual({ sha256: sha256Of(content), size: content.length });
    expect(state.pulled).toBe(48);
    expect((await readAll(await store.get(result.sha256))).equals(content)).toBe(true);
    expect((await readAll(await store.get(result.sha256, { start: 5 * 1024 * 1024 - 10, end: 5 * 1024 * 1024 + 9 }))).equals(
      content.subarray(5 * 1024 * 1024 - 10, 5 * 1024 * 1024 + 10),
    )).toBe(true);
    expect(await listKeys()).toHaveLength(1);
  });

  it("reports the size limit, not the aborted multipart upload, when a large body goes over it", async () => {
    const content = bytesOf(12 * 1024 * 1024, 37);
    const { body, state } = chunked(content, 1024 * 1024);
    // Over the limit only after the first 5 MiB part was sent: the multipart upload has started.
    await expectGantryError(store.put(body, { maxBytes: 7 * 1024 * 1024 }), {
      code: "INVALID_INPUT",
      field: "body",
      message: /exceeds the limit of 7340032 bytes$/,
    });
    expect(state.pulled).toBe(8);
    expect(await listKeys()).toEqual([]);
  });

  it("cleanup removes temp keys a crashed put left behind, and only once they are old", async () => {
    const { sha256 } = await store.put(Readable.from([bytesOf(100)]));
    const crashed = `test-${storeCount}/tmp/00000000-0000-4000-8000-000000000000`;
    await store.client.send(new PutObjectCommand({ Bucket: bucket, Key: crashed, Body: bytesOf(100, 2) }));

    expect(await store.cleanup()).toEqual({ removed: 0 });
    expect(await listKeys()).toContain(crashed);
    // A negative age also covers a server clock slightly ahead of ours.
    expect(await store.cleanup({ olderThanMs: -60_000 })).toEqual({ removed: 1 });
    expect(await listKeys()).not.toContain(crashed);
    expect(await store.has(sha256)).toBe(true);
  });
});

describe("createArtifactStore", () => {
  it("uses S3 when a bucket is configured, whatever the root", async () => {
    const chosen = createArtifactStore({
      bucket,
      prefix: `test-${storeCount}`,
      endpoint,
      forcePathStyle: true,
      root: join(directory, "unused"),
      ...credentials,
    });
    const { sha256 } = await chosen.put(Readable.from([Buffer.from("chosen")]));
    expect(await store.has(sha256)).toBe(true);
  });
});
