import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createFsArtifactStore } from "@gantry/api/artifacts";
import type { OrgFixture } from "@gantry/api/testing";
import { createFakeModelRun, createOrgFixture, fixtureContext, startApiServer } from "@gantry/api/testing";
import { tinyModelSignature, tinyTfjsModel } from "@gantry/api/testing/tfjs-model";
import { createTestDatabase } from "@gantry/db/testing";
import type { ModelVersion, RegisteredModel } from "@gantry/schema/registry-contracts";

import { createGantryClient, GantryApiError } from "../client";
import { runCli } from "./run-cli";

/* `gantry models` and `client.models` against a real API server; runs with fake model artifacts (no TensorFlow). */

const tdb = await createTestDatabase();
const artifactRoot = await mkdtemp(path.join(tmpdir(), "gantry-cli-models-"));
let server: Awaited<ReturnType<typeof startApiServer>>;
let org: OrgFixture;
let env: NodeJS.ProcessEnv;
const runIds: string[] = [];
beforeAll(async () => {
  server = await startApiServer(tdb.db, tdb.sql, { artifactRoot });
  org = await createOrgFixture(tdb.db, "cli-models");
  const ctx = fixtureContext(tdb.db, org);
  const store = createFsArtifactStore(artifactRoot);
  for (const accuracy of [0.8, 0.9]) runIds.push(await createFakeModelRun(ctx, store, { experimentId: org.experiment.id, metrics: { test_accuracy: accuracy } }));
  runIds.push(await createFakeModelRun(ctx, store, { experimentId: org.experiment.id, withPipeline: false }));
  env = { GANTRY_CONFIG_DIR: await mkdtemp(path.join(tmpdir(), "gantry-cli-")), GANTRY_URL: server.url, GANTRY_API_KEY: org.keys.all.secret };
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

const gantry = (args: string[]) => runCli(args, env);

describe("gantry models", () => {
  it("register, versions, alias, resolve, list; the client answers the same version", async () => {
    const first = await gantry(["models", "register", "--run", runIds[0] ?? "", "--name", "churn"]);
    expect(first).toMatchObject({ code: 0, out: `Registered churn version 1 (models:/churn/1) from run ${runIds[0]}.` });
    const second = JSON.parse((await gantry(["--json", "models", "register", "--run", runIds[1] ?? "", "--name", "churn", "--description", "better"])).out) as ModelVersion;
    expect(second).toMatchObject({ name: "churn", version: 2, description: "better", metrics: { test_accuracy: 0.9 } });

    const versions = await gantry(["models", "versions", "churn"]);
    expect(versions.out.split("\n")[0]).toMatch(/^VERSION\s+STATUS\s+ALIASES\s+CREATED \(UTC\)\s+RUN\s+METRICS$/);
    expect(versions.out.split("\n")[1]).toMatch(new RegExp(`^2\\s+ready\\s+—\\s+.*${runIds[1]}\\s+test_accuracy=0\\.9000$`));

    expect((await gantry(["models", "alias", "churn", "champion", "1", "--reason", "first"])).out).toBe("churn@champion → version 1.");
    expect((await gantry(["models", "alias", "churn", "champion", "2", "--reason", "beats v1"])).out).toBe("churn@champion → version 2.");
    const resolved = await gantry(["models", "resolve", "models:/churn@champion"]);
    expect(resolved.out).toMatch(/^model:\s+churn version 2\s+@champion$/m);
    const viaCli = JSON.parse((await gantry(["--json", "models", "resolve", "models:/churn@champion"])).out) as ModelVersion;
    const client = createGantryClient({ url: server.url, apiKey: org.keys.all.secret });
    const viaClient = await client.models.resolve("models:/churn@champion");
    expect(viaClient.id).toBe(viaCli.id);
    expect(viaClient.version).toBe(2);
    // And an MLflow client, over the registry REST API with the same key: the same version.
    const viaMlflow = await fetch(`${server.url}/api/2.0/mlflow/registered-models/alias?name=churn&alias=champion`, { headers: { authorization: `Bearer ${org.keys.all.secret}` } });
    expect(viaMlflow.status).toBe(200);
    expect(((await viaMlflow.json()) as { model_version: { name: string; version: string } }).model_version).toMatchObject({ name: "churn", version: "2" });
    expect((await client.models.aliasHistory("churn", "champion")).map((h) => [h.fromVersion, h.toVersion, h.reason])).toEqual([
      [1, 2, "beats v1"],
      [null, 1, "first"],
    ]);

    const list = await gantry(["models", "list"]);
    expect(list.out).toMatch(/^churn\s+2\s+2\s+champion→2\s+/m);
    expect((JSON.parse((await gantry(["--json", "models", "list"])).out) as RegisteredModel[]).map((m) => m.name)).toEqual(["churn"]);
  });

  it("reports errors with the server's code and field", async () => {
    const reserved = await gantry(["--json", "models", "alias", "churn", "latest", "1"]);
    expect(reserved.code).toBe(1);
    expect(JSON.parse(reserved.out)).toMatchObject({ error: { code: "BAD_REQUEST", field: "alias" } });
    const noModel = await gantry(["models", "register", "--run", runIds[2] ?? "", "--name", "churn"]);
    expect(noModel).toMatchObject({ code: 1, err: `error: run ${runIds[2]} has no model artifact (model/pipeline.json) (BAD_REQUEST)` });
    expect((await gantry(["models", "versions", "ghost"])).err).toBe("error: No registered model named 'ghost' (NOT_FOUND)");
    expect((await gantry(["models", "alias", "churn", "champion", "two"])).err).toBe("error: version must be a positive integer, got 'two'");
    const client = createGantryClient({ url: server.url, apiKey: org.keys.read.secret });
    await expect(client.models.register({ name: "churn", runId: runIds[0] ?? "" })).rejects.toBeInstanceOf(GantryApiError);
  });

  it("upload: a TensorFlow.js model from files, through the CLI and the client", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "gantry-cli-upload-"));
    const files = await tinyTfjsModel();
    const file = (name: string) => path.join(dir, name);
    await writeFile(file("model.json"), JSON.stringify(files.modelJson));
    await writeFile(file("weights.bin"), files.weights);
    await writeFile(file("sig.json"), JSON.stringify(tinyModelSignature));
    const args = ["--name", "uploaded", "--model", file("model.json"), "--weights", file("weights.bin"), "--signature", file("sig.json")];
    expect(await gantry(["models", "upload", ...args])).toMatchObject({ code: 0, out: "Uploaded uploaded version 1 (models:/uploaded/1)." });

    const client = createGantryClient({ url: server.url, apiKey: org.keys.all.secret });
    const v = await client.models.upload({ name: "uploaded", modelJson: file("model.json"), weights: file("weights.bin"), signature: tinyModelSignature, description: "via client" });
    expect(v).toMatchObject({ name: "uploaded", version: 2, sourceRunId: null, status: "ready", description: "via client", signature: { task: "binary" } });
    expect(v.createdAt).toBeInstanceOf(Date);

    await writeFile(file("bad.json"), JSON.stringify({ inputs: [{ name: "a", type: "categorical" }], task: "binary" }));
    const bad = await gantry(["--json", "models", "upload", ...args.slice(0, 6), "--signature", file("bad.json")]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({ error: { code: "INVALID_INPUT", field: "signature" } });
    expect((await gantry(["models", "upload", ...args.slice(0, 6), "--signature", file("missing.json")])).err).toMatch(/^error: cannot read --signature/);
  });
});
