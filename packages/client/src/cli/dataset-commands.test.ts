import { createHash } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { OrgFixture } from "@gantry/api/testing";
import { createOrgFixture, startApiServer } from "@gantry/api/testing";
import { createTestDatabase } from "@gantry/db/testing";

import { createGantryClient, GantryApiError } from "../client";
import { runCli } from "./run-cli";

const tdb = await createTestDatabase();
let server: Awaited<ReturnType<typeof startApiServer>>;
let org: OrgFixture;
let dir: string;
beforeAll(async () => {
  server = await startApiServer(tdb.db, tdb.sql);
  org = await createOrgFixture(tdb.db, "cli-datasets");
  dir = await mkdtemp(path.join(tmpdir(), "gantry-cli-datasets-"));
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

/** Runs the CLI in-process (real HTTP to the API server) and captures what it prints. */
const gantry = (args: string[], key = org.keys.all.secret) => runCli(args, { GANTRY_CONFIG_DIR: dir, GANTRY_URL: server.url, GANTRY_API_KEY: key });

async function file(name: string, content: string) {
  const p = path.join(dir, name);
  await writeFile(p, content);
  return p;
}

const HOUSES = ["zip,rooms,price,sold", "01234,3,250000.5,2024-01-05", "98765,4,310000,2024-02-11", "01234,2,NA,2024-03-01"].join("\n") + "\n";

describe("gantry datasets", () => {
  it("uploads a file with progress on stderr, then recognises the same file", async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `${i},${(i % 97) / 7},group-${i % 4}`).join("\n");
    const csv = `id,score,group\n${rows}\n`;
    const p = await file("scores.csv", csv);
    const first = await gantry(["datasets", "upload", p, "--name", "scores", "--description", "nightly scores"]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Uploaded scores version 1: 60000 rows, 3 columns \(sha256 [0-9a-f]{12}…\)\.$/);
    // Not a terminal: plain progress lines, then the total.
    expect(first.err).toMatch(/uploading .*scores\.csv: 0 B of .* \(0%\)/);
    expect(first.err).toMatch(/sent$/);
    const again = await gantry(["--json", "datasets", "upload", p, "--name", "scores"]);
    const body = JSON.parse(again.out) as { duplicate: boolean; version: { version: number; sha256: string; fileName: string; description: string } };
    expect(body).toMatchObject({ duplicate: true, version: { version: 1, fileName: "scores.csv", description: "nightly scores", sha256: createHash("sha256").update(csv).digest("hex") } });
  });

  it("applies --type overrides and shows the schema and profile", async () => {
    const p = await file("houses.csv", HOUSES);
    const up = await gantry(["datasets", "upload", p, "--name", "houses", "--type", "zip=categorical"]);
    expect(up.code).toBe(0);
    const show = await gantry(["datasets", "show", "houses@1"]);
    expect(show.code).toBe(0);
    expect(show.out).toMatch(/dataset: +houses@1/);
    expect(show.out).toMatch(/rows: +3 +columns: 4/);
    expect(show.out).toMatch(/zip +categorical \(inferred integer\) +0 +2 +01234 \(2\), 98765 \(1\)/);
    expect(show.out).toMatch(/price +numeric +1 +2 +min 250000\.5 +mean 280000\.3 +max 310000 +std 42426\.05/);
    expect(show.out).toMatch(/sold +datetime +0 +3 +2024-01-05 00:00:00 … 2024-03-01 00:00:00/);
    const json = JSON.parse((await gantry(["--json", "datasets", "show", "houses"])).out) as { version: number; columns: { name: string; type: string }[] };
    expect(json.version).toBe(1);
    expect(json.columns.map((c) => c.type)).toEqual(["categorical", "integer", "numeric", "datetime"]);
  });

  it("lists datasets", async () => {
    const { code, out } = await gantry(["datasets", "list"], org.keys.read.secret);
    expect(code).toBe(0);
    expect(out).toMatch(/^NAME +VERSIONS +LATEST +ROWS +COLUMNS +SIZE +UPDATED/);
    expect(out).toMatch(/houses +1 +1 +3 +4/);
    expect(out).toMatch(/scores +1 +1 +60000 +3/);
  });

  it("reports a bad file, a bad --type and a read-only key with the server's reason and exit code 1", async () => {
    const ragged = await file("ragged.csv", "a,b\n1,2\n3\n");
    const bad = await gantry(["datasets", "upload", ragged, "--name", "ragged"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/error: Row 2 has 1 field; the header has 2 \(INVALID_INPUT\)/);
    const badType = await gantry(["--json", "datasets", "upload", ragged, "--name", "ragged", "--type", "a=float"]);
    expect(badType.code).toBe(1);
    expect(JSON.parse(badType.out)).toMatchObject({ error: { code: "CLI_ERROR", message: expect.stringContaining("--type takes COLUMN=TYPE") } });
    const readOnly = await gantry(["datasets", "upload", await file("ok.csv", "a\n1\n"), "--name", "ok"], org.keys.read.secret);
    expect(readOnly.code).toBe(1);
    expect(readOnly.err).toMatch(/lacks the "write" scope \(FORBIDDEN\)/);
    const missing = await gantry(["datasets", "show", "houses@7"]);
    expect(missing.err).toMatch(/Dataset 'houses' has no version 7 \(NOT_FOUND\)/);
  });
});

describe("client.datasets", () => {
  it("uploads from a stream, lists and gets", async () => {
    const client = createGantryClient({ url: server.url, apiKey: org.keys.all.secret });
    async function* source() {
      yield new TextEncoder().encode("k,v\n");
      for (let i = 0; i < 100; i++) yield new TextEncoder().encode(`${i},${i * 2}\n`);
    }
    const progress: number[] = [];
    const result = await client.datasets.upload(source(), { name: "streamed", columnTypes: { v: "numeric" }, onProgress: (sent) => progress.push(sent) });
    expect(result).toMatchObject({ duplicate: false, version: { version: 1, rowCount: 100, fileName: null } });
    expect(result.version.columns[1]).toEqual({ name: "v", type: "numeric", inferredType: "integer" });
    expect(progress.at(-1)).toBe(result.version.size);
    expect((await client.datasets.get("streamed")).versions).toHaveLength(1);
    // The tRPC endpoint of the server has the store: previews read the stored file.
    expect((await client.api.dataset.preview.query({ name: "streamed", limit: 2 })).rows).toEqual([
      { k: "0", v: "0" },
      { k: "1", v: "2" },
    ]);
    expect((await client.datasets.list()).map((d) => d.name)).toContain("streamed");
    const error = await client.datasets.get("nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GantryApiError);
    expect(error).toMatchObject({ code: "NOT_FOUND" });
  });
});
