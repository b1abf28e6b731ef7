import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { OrgFixture } from "@gantry/api/testing";
import { createOrgFixture, startApiServer } from "@gantry/api/testing";
import { createTestDatabase } from "@gantry/db/testing";

import { createGantryClient } from "./client";
import { buildProgram } from "./cli/program";

const tdb = await createTestDatabase();
let server: Awaited<ReturnType<typeof startApiServer>>;
let org: OrgFixture;
beforeAll(async () => {
  server = await startApiServer(tdb.db, tdb.sql);
  org = await createOrgFixture(tdb.db, "client-runs");
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

describe("client.runs.start", () => {
  it("logs params, buffered metrics, tags and an artifact, then ends the run", async () => {
    const client = createGantryClient({ url: server.url, apiKey: org.keys.all.secret });
    const run = await client.runs.start({ experiment: "client experiment", name: "handle", params: { lr: 0.01, layers: 3 }, tags: { team: "ml" } }, { batchSize: 100, flushIntervalMs: 60_000 });
    for (let step = 0; step < 250; step++) run.logMetrics({ loss: 1 / (step + 1), acc: step / 250 }, step);
    await run.setTags({ stage: "test" });
    const dir = await mkdtemp(path.join(tmpdir(), "gantry-client-"));
    await writeFile(path.join(dir, "report.json"), JSON.stringify({ ok: true }));
    await run.logArtifact(path.join(dir, "report.json"), "reports/report.json");
    await run.end();

    const stored = await client.api.run.get.query({ runId: run.id });
    expect(stored.info).toMatchObject({ name: "handle", status: "FINISHED", source: "client" });
    expect(stored.info.endTime).not.toBeNull();
    expect(stored.data.params).toEqual([{ key: "layers", value: "3" }, { key: "lr", value: "0.01" }]);
    expect(stored.data.tags).toEqual(expect.arrayContaining([{ key: "team", value: "ml" }, { key: "stage", value: "test" }]));
    expect(stored.data.metrics).toEqual(expect.arrayContaining([expect.objectContaining({ key: "loss", value: 1 / 250, step: 249 })]));
    const history = await client.api.run.metricHistory.query({ runId: run.id, key: "acc" });
    expect(history.metrics).toHaveLength(250);
    expect((await client.api.run.artifacts.query({ runId: run.id, path: "reports" })).files).toEqual([{ path: "reports/report.json", isDir: false, fileSize: 11 }]);

    // The experiment was created by name once, and reused.
    const again = await client.runs.start({ experiment: "client experiment" });
    expect(again.run.info.experimentId).toBe(run.run.info.experimentId);
    await again.end("KILLED");
  });

  it("a failed background flush surfaces on the next call", async () => {
    const client = createGantryClient({ url: server.url, apiKey: org.keys.all.secret });
    const run = await client.runs.start({ experiment: "client experiment" }, { flushIntervalMs: 60_000 });
    run.logMetric("ok", 1);
    run.logMetric("bad key/..", 1);
    await expect(run.flush()).rejects.toThrow(/key may not contain/);
    await run.end("FAILED").catch(() => undefined);
  });
});

describe("gantry experiments / runs", () => {
  async function gantry(args: string[]) {
    const out: string[] = [];
    process.exitCode = 0;
    await buildProgram({ out: (l) => out.push(l), err: (l) => out.push(l) }, { GANTRY_URL: server.url, GANTRY_API_KEY: org.keys.all.secret, GANTRY_CONFIG_DIR: tmpdir() }).parseAsync(["node", "gantry", ...args]);
    const code = process.exitCode;
    process.exitCode = 0;
    return { code, out: out.join("\n") };
  }

  it("creates and lists experiments, lists runs with a filter and gets one", async () => {
    expect((await gantry(["experiments", "create", "cli exp"])).out).toContain("Created experiment cli exp");
    const list = JSON.parse((await gantry(["--json", "experiments", "list"])).out) as { name: string }[];
    expect(list.map((e) => e.name)).toContain("cli exp");

    const client = createGantryClient({ url: server.url, apiKey: org.keys.all.secret });
    for (const [name, auc] of [["low", 0.7], ["high", 0.95]] as const) {
      const run = await client.runs.start({ experiment: "cli exp", name, params: { lr: "0.01" } });
      run.logMetric("auc", auc);
      await run.end();
    }
    const found = await gantry(["runs", "list", "--experiment", "cli exp", "--filter", "metrics.auc > 0.9", "--order-by", "metrics.auc DESC"]);
    expect(found.code).toBe(0);
    expect(found.out).toMatch(/RUN ID\s+NAME\s+STATUS\s+STARTED\s+AUC/);
    expect(found.out).toContain("high");
    expect(found.out).not.toContain("low");

    const bad = await gantry(["runs", "list", "--experiment", "cli exp", "--filter", "metrics.auc >> 1"]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/error: Invalid filter/);

    const all = JSON.parse((await gantry(["--json", "runs", "list", "--experiment", "cli exp"])).out) as { runs: { info: { id: string; name: string } }[] };
    const high = all.runs.find((r) => r.info.name === "high");
    const got = await gantry(["runs", "get", high?.info.id ?? ""]);
    expect(got.out).toMatch(/auc = 0\.95/);
    expect(got.out).toMatch(/lr = 0\.01/);
  });
});
