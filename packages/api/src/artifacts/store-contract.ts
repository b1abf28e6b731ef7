import { createHash } from "node:crypto";
import { Readable } from "node:stream";

import { GantryError } from "@gantry/schema";
import { expect, it } from "vitest";

import type { ArtifactStore } from "./store";

/**
 * The behaviour every ArtifactStore backend shares, run by each backend's test file against a real
 * instance. `listStored` returns every entry the backend persisted (files or keys, temp ones
 * included), so "leaves nothing behind" is checked on the backend itself.
 */
export type ContractSubject = {
  store: () => ArtifactStore;
  listStored: () => Promise<string[]>;
};

export const sha256Of = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Deterministic, non-repeating test content. */
export function bytesOf(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Yields `content` in `chunkSize` slices, counting how many were pulled. */
export function chunked(content: Buffer, chunkSize: number) {
  const state = { pulled: 0 };
  async function* generate(): AsyncGenerator<Uint8Array> {
    for (let offset = 0; offset < content.length; offset += chunkSize) {
      state.pulled += 1;
      yield content.subarray(offset, offset + chunkSize);
    }
  }
  return { body: generate(), state };
}

export async function expectGantryError(
  promise: Promise<unknown>,
  expected: { code: GantryError["code"]; field?: string; message?: RegExp },
): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GantryError);
  const gantryError = error as GantryError;
  expect(gantryError.code).toBe(expected.code);
  if (expected.field !== undefined) expect(gantryError.field).toBe(expected.field);
  if (expected.message) expect(gantryError.message).toMatch(expected.message);
}

export function artifactStoreContract(subject: ContractSubject): void {
  const { store, listStored } = subject;

  it("round-trips a Readable, an async generator and an empty body", async () => {
    const content = bytesOf(100_000, 7);
    const fromStream = await store().put(Readable.from([content.subarray(0, 40_000), content.subarray(40_000)]));
    expect(fromStream).toEqual({ sha256: sha256Of(content), size: content.length });
    expect((await readAll(await store().get(fromStream.sha256))).equals(content)).toBe(true);

    const other = bytesOf(3_000, 8);
    const fromGenerator = await store().put(chunked(other, 1_000).body);
    expect(fromGenerator).toEqual({ sha256: sha256Of(other), size: other.length });
    expect((await readAll(await store().get(fromGenerator.sha256))).equals(other)).toBe(true);

    const empty = await store().put(Readable.from([]));
    expect(empty).toEqual({ sha256: sha256Of(Buffer.alloc(0)), size: 0 });
    expect((await readAll(await store().get(empty.sha256))).length).toBe(0);
    expect(await store().has(fromStream.sha256)).toBe(true);
  });

  it("stores identical content once, however it was chunked", async () => {
    const content = bytesOf(50_000, 11);
    const first = await store().put(chunked(content, 1_024).body);
    const second = await store().put(Readable.from([content]));
    expect(second).toEqual(first);
    expect(await listStored()).toHaveLength(1);
  });

  it("reads inclusive byte ranges and rejects unsatisfiable ones", async () => {
    const content = bytesOf(10_000, 3);
    const { sha256 } = await store().put(Readable.from([content]));
    const read = async (range: { start: number; end?: number }) => readAll(await store().get(sha256, range));

    expect((await read({ start: 100, end: 199 })).equals(content.subarray(100, 200))).toBe(true);
    expect((await read({ start: 9_000 })).equals(content.subarray(9_000))).toBe(true);
    expect((await read({ start: 42, end: 42 })).equals(content.subarray(42, 43))).toBe(true);
    expect((await read({ start: 9_990, end: 1_000_000 })).equals(content.subarray(9_990))).toBe(true);

    await expectGantryError(store().get(sha256, { start: 10_000 }), { code: "INVALID_INPUT", field: "range" });
    await expectGantryError(store().get(sha256, { start: 5, end: 4 }), { code: "INVALID_INPUT", field: "range" });
    await expectGantryError(store().get(sha256, { start: -1 }), { code: "INVALID_INPUT", field: "range" });
  });

  it("aborts a body over maxBytes, stops reading it and leaves nothing behind", async () => {
    const content = bytesOf(10_000, 5);
    const source = chunked(content, 1_000);
    await expectGantryError(store().put(source.body, { maxBytes: 4_500 }), {
      code: "INVALID_INPUT",
      field: "body",
      message: /exceeds the limit of 4500 bytes$/,
    });
    // The fifth chunk crosses the limit; nothing after it is pulled.
    expect(source.state.pulled).toBe(5);
    expect(await listStored()).toEqual([]);
    expect(await store().has(sha256Of(content))).toBe(false);

    const exact = await store().put(Readable.from([content]), { maxBytes: content.length });
    expect(exact.size).toBe(content.length);
  });

  it("leaves nothing behind when the body fails mid-stream", async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield bytesOf(2_000, 9);
      throw new Error("client went away");
    }
    await expect(store().put(failing())).rejects.toThrow("client went away");
    expect(await listStored()).toEqual([]);
  });

  it("reports unknown hashes as NOT_FOUND and malformed ones as INVALID_INPUT", async () => {
    const unknown = sha256Of(Buffer.from("never stored"));
    await expectGantryError(store().get(unknown), { code: "NOT_FOUND" });
    await expectGantryError(store().get(unknown, { start: 0 }), { code: "NOT_FOUND" });
    expect(await store().has(unknown)).toBe(false);
    await store().delete(unknown);

    for (const bad of ["", "abc", "../../etc/passwd", `${"g".repeat(64)}`, `${unknown}/x`]) {
      await expectGantryError(store().get(bad), { code: "INVALID_INPUT", field: "sha256" });
      await expectGantryError(store().has(bad), { code: "INVALID_INPUT", field: "sha256" });
    }
  });

  it("deletes an artifact", async () => {
    const { sha256 } = await store().put(Readable.from([bytesOf(1_000, 13)]));
    expect(await store().has(sha256.toUpperCase())).toBe(true);
    await store().delete(sha256);
    expect(await store().has(sha256)).toBe(false);
    await expectGantryError(store().get(sha256), { code: "NOT_FOUND" });
    expect(await listStored()).toEqual([]);
  });

  it("keeps concurrent puts of the same content consistent", async () => {
    const content = bytesOf(300_000, 17);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => store().put(chunked(content, 10_000 + i * 1_000).body)));
    for (const result of results) expect(result).toEqual({ sha256: sha256Of(content), size: content.length });
    expect(await listStored()).toHaveLength(1);
    expect((await readAll(await store().get(sha256Of(content)))).equals(content)).toBe(true);
  });
}
