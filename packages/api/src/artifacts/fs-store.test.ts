import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Readable } from "node:stream";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { FsArtifactStore } from "./fs-store";
import { createFsArtifactStore } from "./fs-store";
import { createArtifactStore } from "./index";
import { artifactStoreContract, bytesOf, readAll, sha256Of } from "./store-contract";

let root: string;
let store: FsArtifactStore;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "gantry-artifacts-"));
  store = createFsArtifactStore(root);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const name of await readdir(dir, { recursive: true })) {
    if ((await stat(join(dir, name))).isFile()) files.push(relative(root, join(dir, name)));
  }
  return files.sort();
}

describe("fs artifact store: the store contract", () => {
  artifactStoreContract({ store: () => store, listStored: () => filesUnder(root) });
});

describe("fs artifact store", () => {
  it("lays files out as sha256/ab/cd/<hash> and nothing else", async () => {
    const { sha256 } = await store.put(Readable.from([Buffer.from("hello artifacts")]));
    expect(await filesUnder(root)).toEqual([join("sha256", sha256.slice(0, 2), sha256.slice(2, 4), sha256)]);
  });

  it("reads the first byte alone", async () => {
    // Not in the shared contract: s3rver reads `bytes=0-0` as the whole object (real S3 does not).
    const { sha256 } = await store.put(Readable.from([Buffer.from("abc")]));
    expect((await readAll(await store.get(sha256, { start: 0, end: 0 }))).toString()).toBe("a");
  });

  it("streams a 50 MB body from a lazy generator, writing each chunk before pulling the next", async () => {
    const chunkSize = 64 * 1024;
    const chunkCount = 800; // 50 MiB
    const expected = createHash("sha256");
    const lag: number[] = [];

    // Produces each chunk only when asked; every 50 chunks it checks how much the store has
    // already written to its temp file, which bounds what the store can be holding in memory.
    async function* lazyBody(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < chunkCount; i++) {
        if (i > 0 && i % 50 === 0) {
          const [temp] = await readdir(join(root, "tmp"));
          const written = (await stat(join(root, "tmp", temp ?? ""))).size;
          lag.push(i * chunkSize - written);
        }
        const chunk = Buffer.alloc(chunkSize, i % 251);
        chunk.writeUInt32BE(i, 0);
        expected.update(chunk);
        yield chunk;
      }
    }

    const result = await store.put(lazyBody());
    expect(result).toEqual({ sha256: expected.digest("hex"), size: chunkSize * chunkCount });
    expect(lag).toHaveLength(chunkCount / 50 - 1);
    // Everything produced so far, except at most the chunk in flight, is already on disk.
    for (const behind of lag) expect(behind).toBeLessThanOrEqual(chunkSize);

    const stored = createHash("sha256");
    for await (const chunk of await store.get(result.sha256)) stored.update(chunk as Buffer);
    expect(stored.digest("hex")).toBe(result.sha256);
  });

  it("leaves only a temp file while an upload is in flight, as a crash would", async () => {
    let release: (error: Error) => void = () => undefined;
    const stalled = new Promise<never>((_, reject) => (release = reject));
    async function* hanging(): AsyncGenerator<Uint8Array> {
      yield bytesOf(1_000);
      await stalled;
    }

    const upload = store.put(hanging());
    // Wait (without a clock) until the first chunk is on disk.
    while (!(await filesUnder(join(root, "tmp"))).some((file) => file.endsWith(".part"))) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const files = await filesUnder(root);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^tmp\/[0-9a-f-]{36}\.part$/);
    // A fresh temp file may belong to a live upload in another process: cleanup leaves it.
    expect(await store.cleanup()).toEqual({ removed: 0 });

    release(new Error("process died"));
    await expect(upload).rejects.toThrow("process died");
    expect(await filesUnder(root)).toEqual([]);
  });

  it("cleanup removes temp files older than an hour, and only those", async () => {
    await mkdir(join(root, "tmp"), { recursive: true });
    const stale = join(root, "tmp", "crashed.part");
    const fresh = join(root, "tmp", "in-flight.part");
    await writeFile(stale, bytesOf(100));
    await writeFile(fresh, bytesOf(100));
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(stale, twoHoursAgo, twoHoursAgo);
    const { sha256 } = await store.put(Readable.from([bytesOf(100)]));

    expect(await store.cleanup()).toEqual({ removed: 1 });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(await store.has(sha256)).toBe(true);

    expect(await store.cleanup({ olderThanMs: 0 })).toEqual({ removed: 1 });
    expect(await filesUnder(join(root, "tmp"))).toEqual([]);
  });

  it("cleanup on a store that never wrote anything is a no-op", async () => {
    expect(await createFsArtifactStore(join(root, "missing")).cleanup()).toEqual({ removed: 0 });
  });

  it("shares content between stores on the same root", async () => {
    const content = bytesOf(5_000, 21);
    const { sha256 } = await createFsArtifactStore(root).put(Readable.from([content]));
    expect((await readAll(await store.get(sha256))).equals(content)).toBe(true);
    expect(sha256).toBe(sha256Of(content));
  });
});

describe("createArtifactStore", () => {
  it("uses the filesystem root when no bucket is configured", async () => {
    const chosen = createArtifactStore({ root, bucket: "" });
    const { sha256 } = await chosen.put(Readable.from([Buffer.from("x")]));
    expect(await store.has(sha256)).toBe(true);
  });

  it("fails fast when neither a bucket nor a root is configured", () => {
    expect(() => createArtifactStore({})).toThrow(/bucket .* or a filesystem root/);
  });
});
