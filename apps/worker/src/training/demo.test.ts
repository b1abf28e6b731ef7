import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";

import { afterAll, describe, expect, it } from "vitest";

import { createFsArtifactStore } from "@gantry/api/artifacts";
import { listJobs } from "@gantry/api/jobs";
import { resolveModelUri } from "@gantry/api/registry";
import { DEMO_ORG, seedDemo } from "@gantry/api/seed";
import { DEMO_ENDPOINT } from "@gantry/api/seed/training";
import { listMonitors } from "@gantry/api/monitoring";
import { listRetrainPolicies } from "@gantry/api/retraining";
import { getEndpoint } from "@gantry/api/serving";
import { getRun } from "@gantry/api/tracking";
import { and, eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { selectBackend } from "@gantry/ml";
import { artifacts, orgs, users } from "@gantry/schema";

import { startTestServer } from "../serve/testing";
import { runTrainingJob } from "./execute";

const tdb = await createTestDatabase();
afterAll(() => tdb.drop());

describe("demo seed: datasets and first models", () => {
  it("uploads the two synthetic datasets and queues a job on each; the worker trains them to useful models", async () => {
    const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-demo-train-")));
    const demo = await seedDemo(tdb.db, { artifacts: store });
    expect(demo).not.toBeNull();
    const [org] = await tdb.db.select().from(orgs).where(eq(orgs.slug, DEMO_ORG));
    const [user] = await tdb.db.select().from(users);
    if (!org || !user) throw new Error("demo org missing");
    const ctx = { db: tdb.db, orgId: org.id, role: "owner" as const, actor: { type: "user" as const, userId: user.id, label: user.email } };

    const queued = await listJobs(ctx, { status: "queued" });
    expect(queued.items.map((j) => (j.spec as { dataset: { name: string } }).dataset.name).sort()).toEqual(["card-fraud", "house-prices"]);

    const backend = (await selectBackend()).name;
    const deps = { db: tdb.db, store, workerId: "demo-test", staleMs: 60_000, heartbeatMs: 1_000, backend, log: () => {} };
    for (const job of queued.items) expect(await runTrainingJob(deps, job.id)).toBe("succeeded");

    const done = await listJobs(ctx, { status: "succeeded" });
    const metricsOf = async (dataset: string) => {
      const job = done.items.find((j) => (j.spec as { dataset: { name: string } }).dataset.name === dataset);
      const run = await getRun(ctx, job?.runId ?? "");
      return Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
    };
    // Synthetic but not trivial: the fraud label has noise (AUC well short of 1), prices are log-linear with noise.
    const fraud = await metricsOf("card-fraud");
    expect(fraud.test_roc_auc).toBeGreaterThan(0.8);
    expect(fraud.test_roc_auc).toBeLessThan(0.99);
    const houses = await metricsOf("house-prices");
    expect(houses.test_r2).toBeGreaterThan(0.7);
    // Each lands in the registry as version 1, aliased champion.
    for (const name of ["card-fraud", "house-prices"]) {
      const champion = await resolveModelUri(ctx, `models:/${name}@champion`);
      expect(champion).toMatchObject({ version: 1, status: "ready", sourceRunId: done.items.find((j) => (j.spec as { dataset: { name: string } }).dataset.name === name)?.runId });
    }

    // The fraud job deployed its model on the demo endpoint, which answers what the run's own evaluation predicted.
    expect(await getEndpoint(ctx, DEMO_ENDPOINT)).toMatchObject({ model: "card-fraud", version: 1, revision: 1, followAlias: "champion" });
    const fraudRun = done.items.find((j) => (j.spec as { dataset: { name: string } }).dataset.name === "card-fraud")?.runId ?? "";
    const [sampleArtifact] = await tdb.db.select().from(artifacts).where(and(eq(artifacts.runId, fraudRun), eq(artifacts.path, "evaluation/sample_predictions.json")));
    const sample = JSON.parse((await buffer(await store.get(sampleArtifact?.sha256 ?? ""))).toString("utf8")) as { rows: Record<string, unknown>[]; predictions: { label: string; probabilities: Record<string, number> }[] };
    const version = await resolveModelUri(ctx, "models:/card-fraud@champion");
    const inputs = (version.signature?.inputs ?? []).map((i) => i.name);
    const serve = await startTestServer(tdb.db, store);
    try {
      const response = await fetch(`${serve.base}/orgs/${DEMO_ORG}/v1/models/${DEMO_ENDPOINT}:predict`, {
        method: "POST",
        headers: { authorization: `Bearer ${demo?.apiKey ?? ""}` },
        body: JSON.stringify({ instances: sample.rows.map((row) => Object.fromEntries(inputs.map((n) => [n, row[n] ?? null]))) }),
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { predictions: { label: string; probabilities: number[] }[]; model_version: string };
      expect(answer.model_version).toBe("1");
      const labels = version.signature?.labels ?? [];
      expect(answer.predictions).toEqual(sample.predictions.map((p) => ({ label: p.label, probabilities: labels.map((l) => p.probabilities[l]) })));
    } finally {
      await serve.close();
    }

    // The loop's parts: a drift monitor on the endpoint, and a policy that retrains card-fraud when it fires.
    expect((await listMonitors(ctx)).map((m) => [m.name, m.kind, m.endpoint])).toEqual([["fraud-inputs", "data_drift", DEMO_ENDPOINT]]);
    expect((await listRetrainPolicies(ctx)).map((p) => [p.name, p.model, p.triggers])).toEqual([["fraud-retrain", "card-fraud", ["data_drift", "manual"]]]);

    // A restart adds neither datasets nor jobs.
    expect(await seedDemo(tdb.db, { artifacts: store })).toBeNull();
    expect((await listJobs(ctx, {})).items).toHaveLength(2);
  });
});
