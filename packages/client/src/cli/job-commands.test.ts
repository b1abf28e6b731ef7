import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createFsArtifactStore } from "@gantry/api/artifacts";
import type { OrgFixture } from "@gantry/api/testing";
import { binaryCsv, createOrgFixture, fixtureContext, startApiServer, uploadCsvDataset } from "@gantry/api/testing";
import { createTestDatabase } from "@gantry/db/testing";
import type { Job } from "@gantry/schema/job-contracts";

import { createGantryClient, GantryApiError } from "../client";
import { runCli } from "./run-cli";

/* The job commands against a real API server; no worker runs here, so jobs stay queued. */

const tdb = await createTestDatabase();
const artifactRoot = await mkdtemp(path.join(tmpdir(), "gantry-cli-jobs-"));
let server: Awaited<ReturnType<typeof startApiServer>>;
let org: OrgFixture;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  server = await startApiServer(tdb.db, tdb.sql, { artifactRoot });
  org = await createOrgFixture(tdb.db, "cli-jobs");
  await uploadCsvDataset(fixtureContext(tdb.db, org), createFsArtifactStore(artifactRoot), "toy", binaryCsv({ rows: 40 }));
  env = { GANTRY_CONFIG_DIR: await mkdtemp(path.join(tmpdir(), "gantry-cli-")), GANTRY_URL: server.url, GANTRY_API_KEY: org.keys.all.secret };
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

const gantry = (args: string[]) => runCli(args, env);

describe("gantry train (without --wait)", () => {
  it("submits with the flags on top of a --spec file, and prints the job", async () => {
    const file = path.join(artifactRoot, "spec.json");
    await writeFile(file, JSON.stringify({ dataset: { name: "toy", version: 1 }, target: "x1", epochs: 50, model: { hiddenLayers: [32], dropout: 0.2 }, seed: 7 }));
    const { code, out } = await gantry(["--json", "train", "--spec", file, "--target", "label", "--epochs", "3", "--hidden", "8,4", "--lr", "0.01", "--features", "x1,x2"]);
    expect(code).toBe(0);
    const job = JSON.parse(out) as Job;
    expect(job).toMatchObject({ status: "queued", kind: "train" });
    expect(job.spec).toMatchObject({ dataset: { name: "toy", version: 1 }, target: "label", epochs: 3, learningRate: 0.01, seed: 7, features: ["x1", "x2"], model: { hiddenLayers: [8, 4], dropout: 0.2 } });
    const human = await gantry(["train", "--dataset", "toy@latest", "--target", "label"]);
    expect(human.out).toMatch(/^Submitted job [0-9a-f-]{36}: train on toy@1, target 'label'\.\nFollow it: gantry jobs logs [0-9a-f-]{36} --follow$/);
  });

  it("--register MODEL@ALIAS goes into the spec; a reserved alias is refused by the server", async () => {
    const job = JSON.parse((await gantry(["--json", "train", "--dataset", "toy", "--target", "label", "--register", "toy-model@champion"])).out) as Job;
    expect(job.spec).toMatchObject({ register: { model: "toy-model", alias: "champion" } });
    const plain = JSON.parse((await gantry(["--json", "train", "--dataset", "toy", "--target", "label", "--register", "toy-model"])).out) as Job;
    expect(plain.spec.register).toEqual({ model: "toy-model" });
    const reserved = await gantry(["--json", "train", "--dataset", "toy", "--target", "label", "--register", "toy-model@latest"]);
    expect(JSON.parse(reserved.out)).toMatchObject({ error: { code: "BAD_REQUEST", field: "spec.register.alias" } });
    expect((await gantry(["train", "--dataset", "toy", "--target", "label", "--register", "a@b@c"])).err).toBe("error: --register must be MODEL or MODEL@ALIAS, got 'a@b@c'");
  });

  it("says what is wrong with a spec: the server's field message, or the flag", async () => {
    const missing = await gantry(["train", "--dataset", "toy", "--target", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe("error: target column 'nope' not in dataset 'toy@1' (BAD_REQUEST)");
    const json = await gantry(["--json", "train", "--dataset", "toy", "--target", "label", "--task", "ranking"]);
    expect(JSON.parse(json.out)).toMatchObject({ error: { code: "BAD_REQUEST", field: "spec.task" } });
    expect((await gantry(["train", "--dataset", "toy", "--target", "label", "--epochs", "many"])).err).toBe("error: --epochs must be a whole number, got 'many'");
    expect((await gantry(["train", "--dataset", "toy@v2", "--target", "label"])).err).toBe("error: --dataset must be NAME or NAME@VERSION, got 'toy@v2'");
    expect((await gantry(["train", "--target", "label"])).err).toMatch(/needs --dataset and --target/);
    expect((await gantry(["train", "--dataset", "nope", "--target", "label"])).err).toBe("error: No dataset named 'nope' (NOT_FOUND)");
  });
});

describe("gantry jobs", () => {
  it("list, get, logs, cancel, retry", async () => {
    const submitted = JSON.parse((await gantry(["--json", "train", "--dataset", "toy", "--target", "label", "--epochs", "2"])).out) as Job;
    const list = await gantry(["jobs", "list", "--status", "queued"]);
    expect(list.out.split("\n")[0]).toMatch(/^JOB ID\s+KIND\s+STATUS\s+PROGRESS\s+DATASET\s+CREATED\s+RUN$/);
    expect(list.out).toContain(`${submitted.id}  train  queued  0%        toy@1`);
    const listed = JSON.parse((await gantry(["--json", "jobs", "list", "--limit", "1"])).out) as { items: Job[]; nextCursor: string | null };
    expect(listed.items.map((j) => j.id)).toEqual([submitted.id]);
    expect(listed.nextCursor).toBe(submitted.id);

    const get = await gantry(["jobs", "get", submitted.id]);
    expect(get.out).toMatch(/status:\s+queued/);
    expect(get.out).toMatch(/dataset:\s+toy@1\s+target: label/);
    expect((await gantry(["jobs", "logs", submitted.id])).out).toMatch(/INFO\s+Queued: train a model \(task inferred\) on toy@1/);

    expect((await gantry(["jobs", "cancel", submitted.id])).out).toBe(`Cancelled job ${submitted.id}.`);
    const again = await gantry(["jobs", "cancel", submitted.id]);
    expect(again).toMatchObject({ code: 1, err: `error: Job ${submitted.id} has already been cancelled (PRECONDITION_FAILED)` });
    const retried = await gantry(["jobs", "retry", submitted.id]);
    expect(retried.out).toMatch(new RegExp(`^Retrying job ${submitted.id} as job [0-9a-f-]{36}\\.$`));
    // A finished job: --follow prints what there is and ends.
    const follow = await gantry(["--json", "jobs", "logs", submitted.id, "--follow"]);
    expect(follow.out.split("\n").map((l) => (JSON.parse(l) as { message: string }).message)).toEqual([expect.stringMatching(/^Queued/), expect.stringMatching(/^Cancelled by/)]);
    expect((await gantry(["jobs", "get", "0190a000-0000-7000-8000-00000000beef"])).err).toMatch(/not found \(NOT_FOUND\)/);
  });

  it("the client's jobs API: errors are GantryApiError with the field", async () => {
    const client = createGantryClient({ url: server.url, apiKey: org.keys.all.secret });
    const error = await client.jobs.submitTraining({ dataset: { name: "toy" }, target: "label", epochs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GantryApiError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", field: "spec.epochs" });
    expect((error as Error).message).toMatch(/^spec\.epochs: /);
    const job = await client.jobs.submitTraining({ dataset: { name: "toy" }, target: "label", epochs: 1 });
    await client.jobs.cancel(job.id);
    const seen: string[] = [];
    expect((await client.jobs.wait(job.id, { onProgress: (j) => seen.push(j.status), intervalMs: 10 })).status).toBe("cancelled");
    expect(seen).toEqual(["cancelled"]);
  });
});
