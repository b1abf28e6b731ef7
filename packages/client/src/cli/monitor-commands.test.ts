import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { Readable } from "node:stream";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { raiseAlert } from "@gantry/api/alerts";
import { createFsArtifactStore } from "@gantry/api/artifacts";
import { createDatasetVersion } from "@gantry/api/datasets";
import { registerVersionFromRun } from "@gantry/api/registry";
import { createRetrainPolicy } from "@gantry/api/retraining";
import { createEndpoint, deploy } from "@gantry/api/serving";
import type { OrgFixture } from "@gantry/api/testing";
import { createFakeModelRun, createOrgFixture, fixtureContext, startApiServer } from "@gantry/api/testing";
import { createTestDatabase } from "@gantry/db/testing";

import { runCli } from "./run-cli";

/* `gantry monitors`, `gantry alerts` and `gantry retrain-policies` against a real API server. */

const tdb = await createTestDatabase();
const artifactRoot = await mkdtemp(path.join(tmpdir(), "gantry-cli-monitors-"));
let server: Awaited<ReturnType<typeof startApiServer>>;
let org: OrgFixture;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  server = await startApiServer(tdb.db, tdb.sql, { artifactRoot });
  org = await createOrgFixture(tdb.db, "cli-monitors");
  const ctx = fixtureContext(tdb.db, org);
  const store = createFsArtifactStore(artifactRoot);
  await registerVersionFromRun(ctx, store, { name: "fraud", runId: await createFakeModelRun(ctx, store, { experimentId: org.experiment.id }) });
  await createEndpoint(ctx, { name: "fraud-api" });
  await deploy(ctx, "fraud-api", { model: "models:/fraud/1" });
  await createDatasetVersion(ctx, store, { name: "toy", body: Readable.from([Buffer.from("x1,label\n1,yes\n2,no\n3,yes\n")]), maxBytes: 1024 });
  env = { GANTRY_CONFIG_DIR: await mkdtemp(path.join(tmpdir(), "gantry-cli-")), GANTRY_URL: server.url, GANTRY_API_KEY: org.keys.all.secret };
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

const gantry = (args: string[]) => runCli(args, env);

describe("gantry monitors, alerts, retrain-policies", () => {
  it("creates and runs a service monitor, lists and acknowledges alerts, starts a retraining run", async () => {
    const bad = await gantry(["monitors", "create", "fraud-api", "svc", "--kind", "service"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("a service monitor needs at least one of config.maxP99Ms");
    const created = await gantry(["monitors", "create", "fraud-api", "svc", "--kind", "service", "--max-p99-ms", "250", "--every", "1", "--window", "15"]);
    expect(created.out).toMatch(/^monitor svc \([0-9a-f-]{36}\) {2}service on fraud-api, every 1 min over 15 min$/m);
    const id = /monitor svc \(([0-9a-f-]{36})\)/.exec(created.out)?.[1] ?? "";
    // No traffic yet: nothing to judge.
    expect((await gantry(["monitors", "run", id])).out).toMatch(/^last: no_data at /m);
    expect((await gantry(["monitors", "list"])).out).toMatch(/svc +fraud-api +service .* no_data/);

    // A drift monitor against the endpoint's own previous day; a bad length is named by its flag.
    expect((await gantry(["monitors", "create", "fraud-api", "recent", "--baseline", "soon"])).err).toContain("--baseline");
    const trailing = await gantry(["monitors", "create", "fraud-api", "recent", "--baseline", "1440"]);
    expect(trailing.out).toMatch(/^monitor recent \([0-9a-f-]{36}\) {2}data_drift on fraud-api, every 5 min over 60 min vs the 1440 min before$/m);

    const alertId = await raiseAlert(tdb.db, { orgId: org.org.id, endpointId: null, source: "data_drift", fingerprint: "cli", severity: "warning", title: "Data drift on fraud-api: amount (1 of 3 features)", evidence: {} });
    expect((await gantry(["alerts", "list", "--firing"])).out).toContain("Data drift on fraud-api: amount (1 of 3 features)");
    expect((await gantry(["alerts", "ack", alertId])).out).toBe("Acknowledged: Data drift on fraud-api: amount (1 of 3 features)");
    expect((await gantry(["alerts", "list"])).out).toMatch(/firing \(ack\)/);

    expect(JSON.parse((await gantry(["--json", "retrain-policies", "list"])).out)).toEqual([]);
    const ctx = fixtureContext(tdb.db, org);
    const policy = await createRetrainPolicy(ctx, { name: "nightly", model: "fraud", endpoint: "fraud-api", spec: { dataset: { name: "toy" }, target: "label" }, gate: { metric: "test_accuracy" } });
    expect((await gantry(["retrain-policies", "run", policy.id])).out).toMatch(/^Started run [0-9a-f-]{36}: training job [0-9a-f-]{36}\.$/);
    expect((await gantry(["retrain-policies", "run", policy.id])).out).toMatch(/^Not started: run [0-9a-f-]{36} of nightly is still training$/);
    const shown = (await gantry(["retrain-policies", "get", policy.id])).out;
    expect(shown).toContain("policy nightly: retrain fraud for fraud-api on manual, data_drift; gate test_accuracy ≥ champion + 0");
    expect(shown).toMatch(/trigger +started by /);
    expect(shown).toMatch(/training +training job submitted on toy \(latest version\)/);
  });
});
