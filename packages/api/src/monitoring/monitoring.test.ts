import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { and, eq, sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import type { LoadedPipeline, Row, TrainResult } from "@gantry/ml";
import { loadPipeline, selectBackend, trainPipeline } from "@gantry/ml";
import { binaryTable, specFor } from "@gantry/ml/testing";
import { alerts, monitors } from "@gantry/schema";

import { listAlerts } from "../alerts";
import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { createEndpoint, createPredictionLogWriter, deploy, ensurePredictionPartitions } from "../serving";
import type { OrgFixture } from "../testing";
import { createOrgFixture, fixtureContext, registerTrainedVersion } from "../testing";
import { createMonitor, evaluateMonitor, getMonitor, listMonitors } from ".";

/*
 * Monitors over real logged traffic: a model trained here (its reference profile stored as a
 * training job stores it), predictions logged through the real writer, then evaluated at chosen
 * times. Unshifted traffic raises nothing; shifted traffic fires one alert naming the features
 * that moved; a clean window resolves it.
 */

const tdb = await createTestDatabase();
const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-monitoring-")));
let org: OrgFixture;
let ctx: OrgContext;
let trained: TrainResult;
let pipeline: LoadedPipeline;
let endpointId = "";
let versionId = "";
const HOUR = 3_600_000;
const t0 = new Date(Date.now() - 6 * HOUR);

beforeAll(async () => {
  await selectBackend();
  org = await createOrgFixture(tdb.db, "monitoring");
  ctx = fixtureContext(tdb.db, org);
  // 8,000 rows: the test split (the reference) has more than 1,000 rows, so Evidently's large-sample tests apply.
  trained = await trainPipeline({ spec: specFor({ target: "label", epochs: 2, batchSize: 256, learningRate: 0.01, model: { hiddenLayers: [8] } }), table: binaryTable(8_000) });
  pipeline = await loadPipeline(trained.pipeline);
  const version = await registerTrainedVersion(ctx, store, { experimentId: org.experiment.id, name: "scorer", trained });
  versionId = version.id;
  const endpoint = await createEndpoint(ctx, { name: "scorer-api" });
  endpointId = endpoint.id;
  await deploy(ctx, "scorer-api", { model: "models:/scorer/1" });
  await ensurePredictionPartitions(tdb.db, { from: new Date(t0.getTime() - 24 * HOUR), days: 3 });
}, 120_000);
afterAll(() => tdb.drop());

/** Logs predictions of `rows` as the serving layer does, at `at`; with `labels`, their true labels arrive as feedback (flipped when asked). */
async function logTraffic(rows: Row[], at: Date, feedback: "none" | "true" | "flipped" = "none") {
  const writer = createPredictionLogWriter({ db: tdb.db, maxRows: 100_000, log: () => undefined });
  const names = trained.signature.inputs.map((i) => i.name);
  const inputs = rows.map((r) => Object.fromEntries(names.map((n) => [n, r[n] ?? null])));
  const predictions = pipeline.predict(inputs);
  const labels = trained.signature.labels ?? [];
  writer.append(
    inputs.map((features, i) => {
      const p = predictions[i];
      return {
        createdAt: at,
        requestId: `${at.getTime()}-${i}`,
        rowIndex: 0,
        orgId: org.org.id,
        endpointId,
        revision: 1,
        variant: "default",
        modelVersionId: versionId,
        unitId: null,
        features,
        outputs: p && "label" in p ? { label: p.label, probabilities: labels.map((l) => p.probabilities[l]) } : null,
        latencyMs: 1,
        status: 200,
        error: null,
      };
    }),
  );
  await writer.close(30_000);
  if (feedback === "none") return;
  const truth = rows.map((r) => (feedback === "true" ? String(r.label) : r.label === "yes" ? "no" : "yes"));
  await tdb.db.execute(sql`
    insert into prediction_feedback (id, org_id, endpoint_id, request_id, row_index, label)
    select gen_random_uuid(), ${org.org.id}, ${endpointId}, ${`${at.getTime()}-`} || (i - 1), 0, l
      from unnest(${`{${truth.join(",")}}`}::text[]) with ordinality as t(l, i)`);
}

const shifted = (rows: Row[]): Row[] => rows.map((r) => ({ ...r, x1: typeof r.x1 === "number" ? r.x1 + 1.5 : (r.x1 ?? null), color: "red" }));
const monitorRow = async (id: string) => (await tdb.db.select().from(monitors).where(eq(monitors.id, id)))[0] ?? (() => { throw new Error("no monitor"); })();
const firing = () => tdb.db.select().from(alerts).where(and(eq(alerts.orgId, org.org.id), eq(alerts.status, "firing")));

describe("monitors", () => {
  it("refuses bad configs with a reason", async () => {
    await expect(createMonitor(ctx, { endpoint: "scorer-api", name: "svc", kind: "service" })).rejects.toMatchObject({ code: "INVALID_INPUT", field: "config" });
    await expect(createMonitor(ctx, { endpoint: "scorer-api", name: "x", kind: "data_drift", config: { windowMinutes: 10, everyMinutes: 30, minRows: 100, driftShare: 0.5, distanceThreshold: 0.1 } })).rejects.toMatchObject({ field: "config.everyMinutes" });
    await expect(createMonitor(ctx, { endpoint: "scorer-api", name: "x", kind: "latency" as never })).rejects.toMatchObject({ field: "kind" });
    await expect(createMonitor(ctx, { endpoint: "scorer-api", name: "x", kind: "data_drift", config: { windowMinutes: 60, everyMinutes: 5, minRows: 100, driftShare: 2, distanceThreshold: 0.1 } })).rejects.toMatchObject({ field: "config.driftShare" });
    await expect(createMonitor(ctx, { endpoint: "nope", name: "x", kind: "data_drift" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await listMonitors(ctx)).toEqual([]);
  });

  it("data drift: quiet on unshifted traffic, fires naming the shifted features, resolves on a clean window", async () => {
    const monitor = await createMonitor(ctx, { endpoint: "scorer-api", name: "inputs", kind: "data_drift", severity: "critical" });
    const row = await monitorRow(monitor.id);
    await logTraffic(binaryTable(2_000, 42).rows, new Date(t0.getTime() - 10 * 60_000));
    expect((await evaluateMonitor(tdb.db, store, row, t0)).status).toBe("ok");
    expect(await firing()).toEqual([]);

    const t1 = new Date(t0.getTime() + 2 * HOUR);
    await logTraffic(shifted(binaryTable(2_000, 43).rows), new Date(t1.getTime() - 10 * 60_000));
    expect((await evaluateMonitor(tdb.db, store, row, t1)).status).toBe("drift");
    const [alert] = await firing();
    expect(alert).toMatchObject({ source: "data_drift", severity: "critical" });
    expect(alert?.title).toMatch(/^inputs: Data drift on scorer-api: /);
    const drifted = (alert?.evidence as { findings: { name: string }[] }).findings.map((f) => f.name).sort();
    expect(drifted).toEqual(expect.arrayContaining(["color", "x1"]));
    expect(drifted).not.toContain("x2");

    // The endpoint's own alerts list it (as its monitoring dashboard shows them); an unknown endpoint is NOT_FOUND.
    expect((await listAlerts(ctx, { endpoint: "scorer-api" })).map((a) => a.id)).toEqual([alert?.id]);
    await expect(listAlerts(ctx, { endpoint: "no-such-endpoint" })).rejects.toMatchObject({ code: "NOT_FOUND" });

    // Evaluated again on the same shifted window: the same alert, refreshed, not a second one.
    await evaluateMonitor(tdb.db, store, row, new Date(t1.getTime() + 60_000));
    expect(await firing()).toHaveLength(1);

    const t2 = new Date(t1.getTime() + 2 * HOUR);
    await logTraffic(binaryTable(2_000, 44).rows, new Date(t2.getTime() - 10 * 60_000));
    expect((await evaluateMonitor(tdb.db, store, row, t2)).status).toBe("ok");
    expect(await firing()).toEqual([]);
    const results = (await getMonitor(ctx, monitor.id)).recent;
    expect(results.map((r) => r.status)).toEqual(["ok", "drift", "drift", "ok"]);
    expect(results[1]?.findings.find((f) => f.name === "x1")).toMatchObject({ test: "wasserstein_normed", flagged: true });
    expect(results[1]?.findings.find((f) => f.name === "color")).toMatchObject({ test: "jensen_shannon", flagged: true });
  });

  it("a trailing baseline compares with the endpoint's own recent traffic: a shift that became the norm is quiet, a change from it drifts", async () => {
    await expect(createMonitor(ctx, { endpoint: "scorer-api", name: "x", kind: "service", config: { maxP99Ms: 100, baseline: "trailing" } })).rejects.toMatchObject({ field: "config.baseline" });
    await expect(createMonitor(ctx, { endpoint: "scorer-api", name: "x", kind: "data_drift", config: { baseline: "yesterday" as never } })).rejects.toMatchObject({ field: "config.baseline" });
    await expect(createMonitor(ctx, { endpoint: "scorer-api", name: "x", kind: "data_drift", config: { baseline: "trailing", baselineMinutes: 0 } })).rejects.toMatchObject({ field: "config.baselineMinutes" });
    const monitor = await createMonitor(ctx, { endpoint: "scorer-api", name: "recent-normal", kind: "data_drift", config: { windowMinutes: 60, everyMinutes: 5, minRows: 100, baseline: "trailing", baselineMinutes: 120 } });
    expect(monitor.config).toMatchObject({ baseline: "trailing", baselineMinutes: 120 });
    const row = await monitorRow(monitor.id);
    const tA = new Date(t0.getTime() + 12 * HOUR);
    await logTraffic(shifted(binaryTable(2_000, 51).rows), new Date(tA.getTime() - 150 * 60_000));
    await logTraffic(shifted(binaryTable(2_000, 52).rows), new Date(tA.getTime() - 10 * 60_000));

    // Nothing before the shifted hour: no baseline to judge against.
    const early = await evaluateMonitor(tdb.db, store, row, new Date(tA.getTime() - 100 * 60_000));
    expect(early).toMatchObject({ status: "no_data" });
    expect((await getMonitor(ctx, monitor.id)).recent[0]?.findings).toEqual([]);

    // Shifted against shifted: quiet, though against the training reference it is drift.
    expect((await evaluateMonitor(tdb.db, store, row, tA)).status).toBe("ok");
    const [quiet] = (await getMonitor(ctx, monitor.id)).recent;
    expect(quiet?.score).toMatchObject({ baselineRows: 2_000, drifted: 0 });
    expect(quiet?.findings.find((f) => f.name === "x1")).toMatchObject({ test: "wasserstein_normed", flagged: false });
    expect(quiet?.findings.find((f) => f.name === "color")?.reference?.shares[quiet.findings.find((f) => f.name === "color")?.reference?.labels.indexOf("red") ?? -1]).toBe(1);
    const reference = await createMonitor(ctx, { endpoint: "scorer-api", name: "vs-training", kind: "data_drift" });
    expect((await evaluateMonitor(tdb.db, store, await monitorRow(reference.id), tA)).status).toBe("drift");

    // Back to the training population after a shifted baseline: drift on the features that moved back, named against the trailing window.
    const tB = new Date(tA.getTime() + 3 * HOUR);
    await logTraffic(shifted(binaryTable(2_000, 53).rows), new Date(tB.getTime() - 150 * 60_000));
    await logTraffic(binaryTable(2_000, 54).rows, new Date(tB.getTime() - 10 * 60_000));
    expect((await evaluateMonitor(tdb.db, store, row, tB)).status).toBe("drift");
    const alert = (await firing()).find((a) => a.title.startsWith("recent-normal:"));
    expect(alert?.title).toMatch(/^recent-normal: Data drift on scorer-api vs the previous 2 h: /);
    const drifted = (alert?.evidence as { findings: { name: string }[] }).findings.map((f) => f.name);
    expect(drifted).toEqual(expect.arrayContaining(["color", "x1"]));
    expect(drifted).not.toContain("x2");
  });

  it("prediction drift follows the outputs; too few rows is no_data", async () => {
    const monitor = await createMonitor(ctx, { endpoint: "scorer-api", name: "outputs", kind: "prediction_drift" });
    const row = await monitorRow(monitor.id);
    const t1 = new Date(t0.getTime() + 2 * HOUR);
    expect((await evaluateMonitor(tdb.db, store, row, t1)).status).toBe("drift");
    expect((await evaluateMonitor(tdb.db, store, row, new Date(t0.getTime() - 5 * HOUR))).status).toBe("no_data");
  });

  it("performance: judged from the labels that arrive, and estimated without them (CBPE); a changed label relationship is a breach", async () => {
    const monitor = await createMonitor(ctx, { endpoint: "scorer-api", name: "quality", kind: "performance", config: { windowMinutes: 60, everyMinutes: 5, minRows: 100, driftShare: 0.5, distanceThreshold: 0.1, maxMetricDrop: 0.1, minLabels: 50 } });
    const row = await monitorRow(monitor.id);
    const t3 = new Date(t0.getTime() + 5 * HOUR);
    await logTraffic(binaryTable(1_000, 45).rows, new Date(t3.getTime() - 10 * 60_000), "true");
    expect((await evaluateMonitor(tdb.db, store, row, t3)).status).toBe("ok");
    let [latest] = (await getMonitor(ctx, monitor.id)).recent;
    const accuracy = latest?.findings.find((f) => f.name === "accuracy");
    // The same population the model was tested on: close to its test accuracy, and CBPE's estimate too.
    expect(Math.abs((accuracy?.statistic ?? 0) - (trained.testMetrics.test_accuracy ?? 0))).toBeLessThan(0.05);
    expect(latest?.findings.find((f) => f.name === "estimated_accuracy")?.flagged).toBe(false);
    // ROC AUC and log loss from the labels, near the test split's; the estimated ROC AUC near its estimate on the test split.
    const auc = latest?.findings.find((f) => f.name === "roc_auc");
    expect(Math.abs((auc?.statistic ?? 0) - (trained.testMetrics.test_roc_auc ?? 0))).toBeLessThan(0.05);
    expect(auc?.flagged).toBe(false);
    const logLoss = latest?.findings.find((f) => f.name === "log_loss");
    expect(logLoss).toMatchObject({ test: "max_rise", flagged: false });
    expect(latest?.findings.find((f) => f.name === "estimated_roc_auc")).toMatchObject({ test: "max_drop", flagged: false });

    const t4 = new Date(t3.getTime() + 2 * HOUR);
    await logTraffic(binaryTable(1_000, 46).rows, new Date(t4.getTime() - 10 * 60_000), "flipped");
    expect((await evaluateMonitor(tdb.db, store, row, t4)).status).toBe("breach");
    [latest] = (await getMonitor(ctx, monitor.id)).recent;
    expect(latest?.findings.find((f) => f.name === "accuracy")).toMatchObject({ flagged: true });
    expect(latest?.findings.find((f) => f.name === "roc_auc")).toMatchObject({ flagged: true });
    expect(latest?.findings.find((f) => f.name === "log_loss")).toMatchObject({ flagged: true });
    // Without labels the estimate cannot see a flipped relationship (CBPE assumes none): it stays unflagged, as documented.
    expect(latest?.findings.find((f) => f.name === "estimated_accuracy")?.flagged).toBe(false);
    const quality = (await firing()).find((a) => a.source === "performance");
    expect(quality?.title).toMatch(/^quality: Performance of scorer-api: accuracy 0\.\d+ < /);
  });
});
