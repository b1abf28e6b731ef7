import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createFsArtifactStore } from "@gantry/api/artifacts";
import type { OrgFixture } from "@gantry/api/testing";
import { binaryCsv, createOrgFixture, fixtureContext, startApiServer, uploadCsvDataset } from "@gantry/api/testing";
import { getRun } from "@gantry/api/tracking";
import { createTestDatabase } from "@gantry/db/testing";
import { selectBackend } from "@gantry/ml";

import { startJobs } from "../jobs";
import { runCli } from "@gantry/client/cli/run";

/* `gantry train --wait` end to end: the CLI over HTTP to the API server, pg-boss, this worker's training handler. */

const tdb = await createTestDatabase();
const artifactRoot = await mkdtemp(path.join(tmpdir(), "gantry-cli-train-"));
const store = createFsArtifactStore(artifactRoot);
let server: Awaited<ReturnType<typeof startApiServer>>;
let worker: Awaited<ReturnType<typeof startJobs>>;
let org: OrgFixture;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  const backend = (await selectBackend()).name;
  server = await startApiServer(tdb.db, tdb.sql, { artifactRoot });
  worker = await startJobs({
    db: tdb.db,
    url: tdb.url,
    log: () => {},
    training: { store, workerId: "cli-test", staleMs: 10_000, heartbeatMs: 200, maxAttempts: 3, concurrency: 1, backend },
  });
  org = await createOrgFixture(tdb.db, "cli-train");
  const ctx = fixtureContext(tdb.db, org);
  await uploadCsvDataset(ctx, store, "toy", binaryCsv({ rows: 120 }));
  await uploadCsvDataset(ctx, store, "flat", binaryCsv({ rows: 40, constantLabel: true }));
  env = { GANTRY_CONFIG_DIR: await mkdtemp(path.join(tmpdir(), "gantry-cli-")), GANTRY_URL: server.url, GANTRY_API_KEY: org.keys.all.secret };
});
afterAll(async () => {
  await worker.stop(5_000);
  await server.close();
  await tdb.drop();
});

const gantry = (args: string[]) => runCli(args, env);

describe("gantry train --wait", () => {
  it("follows the job (plain progress lines off a terminal), then prints the run and its test metrics", async () => {
    const { code, out, err } = await gantry(["train", "--dataset", "toy", "--target", "label", "--epochs", "3", "--hidden", "8", "--batch-size", "16", "--lr", "0.05", "--wait"]);
    expect(code).toBe(0);
    expect(err).toMatch(/^Submitted job [0-9a-f-]{36}: train on toy@1, target 'label'\./);
    expect(err).toMatch(/epoch 3\/3 loss=\S+ val_loss=\S+/);
    const runId = /^run: (\S+)$/m.exec(out)?.[1] ?? "";
    expect(out).toMatch(/^Job \S+ succeeded\.$/m);
    expect(out).toMatch(/^test_accuracy = (0\.\d+|1)$/m);
    expect((await getRun(fixtureContext(tdb.db, org), runId)).info.status).toBe("FINISHED");
  });

  it("--json answers the job, run id and test metrics; a failing job exits 1 with its message", async () => {
    const ok = await gantry(["--json", "train", "--dataset", "toy", "--target", "label", "--epochs", "2", "--hidden", "4", "--wait"]);
    expect(ok.code).toBe(0);
    const answer = JSON.parse(ok.out) as { job: { status: string; runId: string }; runId: string; testMetrics: Record<string, number> };
    expect(answer.job.status).toBe("succeeded");
    expect(answer.runId).toBe(answer.job.runId);
    expect(answer.testMetrics.test_accuracy).toBeGreaterThan(0);

    const refused = await gantry(["train", "--dataset", "flat", "--target", "label", "--epochs", "2", "--wait"]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/target column 'label' is constant/);
  });

  it("train --wait exits 1 with the job's message when training fails", async () => {
    const spec = path.join(env.GANTRY_CONFIG_DIR ?? "", "weights.json");
    await writeFile(spec, JSON.stringify({ classWeights: { maybe: 2 } }));
    const failed = await gantry(["train", "--dataset", "toy", "--target", "label", "--epochs", "2", "--spec", spec, "--wait"]);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/^error: job \S+ failed: .*maybe/m);
  });
});
