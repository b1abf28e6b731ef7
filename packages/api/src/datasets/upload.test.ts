import { createHash } from "node:crypto";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { count, eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { auditEvents, datasets, datasetVersions, GantryError } from "@gantry/schema";

import type { ArtifactStore, FsArtifactStore } from "../artifacts";
import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import type { OrgFixture } from "../testing";
import { createOrgFixture } from "../testing";
import { createDatasetVersion } from "./upload";

const tdb = await createTestDatabase();
let org: OrgFixture;
let ctx: OrgContext;
let store: FsArtifactStore;
beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "datasets-upload");
  ctx = { db: tdb.db, orgId: org.org.id, actor: { type: "user", userId: org.users.owner.id, label: "owner" }, role: "owner" };
  store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-datasets-")));
});
afterAll(() => tdb.drop());

const MB = 1024 * 1024;

/** A body that yields the text in small chunks, as a network stream would. */
async function* chunks(text: string, size = 1000): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield new Uint8Array(bytes.subarray(i, i + size));
}

const upload = (name: string, csv: string, extra: { columnTypes?: Record<string, "numeric" | "integer" | "text">; maxBytes?: number; description?: string } = {}) =>
  createDatasetVersion(ctx, store, { name, body: chunks(csv), fileName: `${name}.csv`, maxBytes: extra.maxBytes ?? 10 * MB, columnTypes: extra.columnTypes, description: extra.description });

async function storedFiles(): Promise<number> {
  const walk = async (dir: string): Promise<number> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    let n = 0;
    for (const e of entries) n += e.isDirectory() ? await walk(path.join(dir, e.name)) : 1;
    return n;
  };
  return walk(path.join(store.root, "sha256"));
}

async function counts() {
  const [d] = await tdb.db.select({ n: count() }).from(datasets);
  const [v] = await tdb.db.select({ n: count() }).from(datasetVersions);
  return { datasets: d?.n, versions: v?.n, files: await storedFiles() };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("createDatasetVersion", () => {
  it("takes columns named like Object.prototype's members, refuses '__proto__', and leaves out statistics that overflow", async () => {
    const { version } = await upload("proto-names", "constructor,toString,huge\n1,a,1e300\n2,b,-1e300\n3,a,1e308\n");
    expect(version.columns.map((c) => [c.name, c.type])).toEqual([
      ["constructor", "integer"],
      ["toString", "categorical"],
      ["huge", "numeric"],
    ]);
    const huge = version.profile.columns.find((c) => c.name === "huge");
    expect(huge).toMatchObject({ min: -1e300, max: 1e308, count: 3 });
    // Its variance overflows a double: no std rather than an Infinity jsonb would turn into null.
    expect(huge?.std).toBeUndefined();
    const before = await counts();
    await expect(upload("proto-bad", "__proto__,y\n1,2\n")).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/'__proto__'/) });
    expect(await counts()).toEqual(before);
  });

  it("stores the file, its schema and profile as version 1, and audits it", async () => {
    const csv = "x,label\n1.5,a\n2.5,b\n3,a\n";
    const { version, duplicate } = await upload("iris", csv, { description: "first cut" });
    expect(duplicate).toBe(false);
    expect(version).toMatchObject({ name: "iris", version: 1, sha256: sha256(csv), size: csv.length, fileName: "iris.csv", rowCount: 3, columnCount: 2, description: "first cut" });
    expect(version.columns).toEqual([
      { name: "x", type: "numeric", inferredType: "numeric" },
      { name: "label", type: "categorical", inferredType: "categorical" },
    ]);
    expect(version.profile.columns[0]).toMatchObject({ mean: 7 / 3 });
    expect(await store.has(sha256(csv))).toBe(true);
    const [dataset] = await tdb.db.select().from(datasets).where(eq(datasets.id, version.datasetId));
    expect(dataset).toMatchObject({ name: "iris", description: "first cut", createdBy: org.users.owner.id });
    const events = await tdb.db.select().from(auditEvents).where(eq(auditEvents.targetId, version.id));
    expect(events).toMatchObject([{ action: "dataset.version.create", targetType: "dataset_version", data: { name: "iris", version: 1 } }]);
  });

  it("returns the existing version for identical content, and numbers new content max + 1", async () => {
    const first = await upload("dedup", "a\n1\n");
    const again = await upload("dedup", "a\n1\n");
    expect(again.duplicate).toBe(true);
    expect(again.version.id).toBe(first.version.id);
    const second = await upload("dedup", "a\n2\n");
    expect(second).toMatchObject({ duplicate: false, version: { version: 2 } });
    const third = await upload("dedup", "a\n3\n");
    expect(third.version.version).toBe(3);
    expect((await upload("dedup", "a\n2\n")).version).toMatchObject({ id: second.version.id, version: 2 });
    const rows = await tdb.db.select().from(datasetVersions).where(eq(datasetVersions.datasetId, first.version.datasetId));
    expect(rows.map((r) => r.version).sort()).toEqual([1, 2, 3]);
    // The same bytes under another name are that dataset's own version 1.
    expect(await upload("dedup-copy", "a\n1\n")).toMatchObject({ duplicate: false, version: { version: 1, name: "dedup-copy" } });
  });

  it("refuses identical content with other column types (versions are immutable)", async () => {
    await upload("typed", "a,b\n1,2\n", { columnTypes: { a: "numeric" } });
    // The same file without overrides, or with the same ones, is the same version.
    expect(await upload("typed", "a,b\n1,2\n")).toMatchObject({ duplicate: true, version: { version: 1 } });
    expect(await upload("typed", "a,b\n1,2\n", { columnTypes: { a: "numeric" } })).toMatchObject({ duplicate: true });
    const error = await upload("typed", "a,b\n1,2\n", { columnTypes: { b: "text" } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CONFLICT", field: "columnTypes.b" });
    expect((error as Error).message).toMatch(/already version 1 of 'typed'.*column 'b' is integer, not text/);
  });

  it("numbers concurrent uploads to a new dataset 1..n without losing any", async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => upload("raced", `v\n${i}\n`)));
    expect(results.map((r) => r.version.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(results.map((r) => r.version.datasetId)).size).toBe(1);
  });

  it.each([
    ["an empty file", "", "file", /The file is empty/],
    ["a header only", "a,b\n", "file", /no data rows \(0 rows\)/],
    ["a ragged row", "a,b\n1,2\n3\n", "file", /Row 2 has 1 field; the header has 2/],
    ["a duplicate header", "a,a\n1,2\n", "file", /appears twice/],
    ["an empty header name", "a,\n1,2\n", "file", /empty name/],
    ["a value that does not fit an override", "a,b\n1,x\n", "columnTypes.b", /Column 'b' is set to numeric, but row 1 has 'x'/],
  ])("refuses %s, naming the field, and stores nothing", async (_label, csv, field, message) => {
    const before = await counts();
    const error = await upload("refused", csv, { columnTypes: field.startsWith("columnTypes") ? { b: "numeric" } : undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GantryError);
    expect(error).toMatchObject({ code: "INVALID_INPUT", field });
    expect((error as Error).message).toMatch(message);
    expect(await counts()).toEqual(before);
  });

  it("refuses a file over the size limit, and a bad name, storing nothing", async () => {
    const before = await counts();
    const big = `a\n${"1\n".repeat(5000)}`;
    const tooBig = await upload("big", big, { maxBytes: 4096 }).catch((e: unknown) => e);
    expect(tooBig).toMatchObject({ code: "INVALID_INPUT", field: "file", message: "The file is larger than the dataset limit of 4 KiB (GANTRY_MAX_DATASET_BYTES)" });
    const badName = await upload("../etc", "a\n1\n").catch((e: unknown) => e);
    expect(badName).toMatchObject({ code: "INVALID_INPUT", field: "name" });
    const badType = await createDatasetVersion(ctx, store, { name: "t", body: chunks("a\n1\n"), maxBytes: MB, columnTypes: { a: "float" as never } }).catch((e: unknown) => e);
    expect(badType).toMatchObject({ code: "INVALID_INPUT" });
    expect((badType as Error).message).toMatch(/columnTypes\.a: type must be one of numeric, integer/);
    expect(await counts()).toEqual(before);
  });

  it("streams a large generated file: the store is never more than a chunk behind the producer", async () => {
    const rows = 1_000_000;
    let produced = 0;
    let stored = 0;
    let maxLag = 0;
    // The store sees the bytes as they come: what it has received trails what was produced by one chunk at most.
    const spy: ArtifactStore = {
      ...store,
      put: (body, options) =>
        store.put(
          (async function* () {
            for await (const chunk of body as AsyncIterable<Uint8Array>) {
              stored += chunk.byteLength;
              yield chunk;
            }
          })(),
          options,
        ),
    };
    async function* generated(): AsyncGenerator<Uint8Array> {
      const header = Buffer.from("id,amount,category,when\n");
      produced += header.length;
      yield header;
      const batch: string[] = [];
      for (let i = 0; i < rows; i++) {
        batch.push(`${i},${((i * 7919) % 100_000) / 100},cat-${i % 12},2024-01-${String((i % 28) + 1).padStart(2, "0")}`);
        if (batch.length === 2000 || i === rows - 1) {
          const chunk = Buffer.from(batch.join("\n") + "\n");
          batch.length = 0;
          maxLag = Math.max(maxLag, produced - stored);
          produced += chunk.length;
          yield chunk;
        }
      }
    }
    const { version } = await createDatasetVersion(ctx, spy, { name: "large", body: generated(), maxBytes: 256 * MB });
    expect(produced).toBeGreaterThan(29 * MB);
    expect(maxLag).toBeLessThan(256 * 1024);
    expect(version).toMatchObject({ rowCount: rows, size: produced });
    expect(version.columns.map((c) => c.type)).toEqual(["integer", "numeric", "categorical", "datetime"]);
    expect(version.profile.columns[2]).toMatchObject({ distinct: 12 });
    expect(version.profile.columns[0]?.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(rows);
    expect(version.profile.columns[0]?.quantiles?.p50).toBeCloseTo(rows / 2, -4);
  });
});
