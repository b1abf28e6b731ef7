import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import type { OrgContext } from "../context";
import type { OrgFixture } from "../testing";
import { createOrgFixture } from "../testing";
import { getMetricChart, getMetricHistory } from "./history";
import { logBatch } from "./logging";
import { createRun, getRun } from "./runs";

const tdb = await createTestDatabase();
let org: OrgFixture;
let ctx: OrgContext;
beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "history");
  ctx = { db: tdb.db, orgId: org.org.id, actor: { type: "user", userId: org.users.owner.id, label: "owner" }, role: "owner" };
});
afterAll(() => tdb.drop());

const newRun = async () => (await createRun(ctx, { experimentId: org.experiment.id })).info.id;

/** Deterministic noise: a sine with spikes, so extremes matter. */
const valueAt = (step: number) => Math.sin(step / 500) + (step % 997 === 0 ? 5 : 0) - (step % 1409 === 0 ? 4 : 0);

describe("metric history", () => {
  it("keeps NaN and ±Infinity faithfully, and the latest value by (step, timestamp, value)", async () => {
    const runId = await newRun();
    await logBatch(ctx, runId, {
      metrics: [
        { key: "m", value: Number.NaN, timestamp: 10, step: 0 },
        { key: "m", value: Infinity, timestamp: 11, step: 1 },
        { key: "m", value: -Infinity, timestamp: 12, step: 2 },
        { key: "m", value: 3, timestamp: 5, step: 3 },
      ],
    });
    // A later timestamp at an earlier step does not become the latest value.
    await logBatch(ctx, runId, { metrics: [{ key: "m", value: 7, timestamp: 100, step: 2 }] });
    const history = await getMetricHistory(ctx, { runId, key: "m" });
    expect(history.metrics.map((m) => m.value)).toEqual([Number.NaN, Infinity, -Infinity, 7, 3]);
    const run = await getRun(ctx, runId);
    expect(run.data.metrics).toEqual([{ key: "m", value: 3, timestamp: 5, step: 3 }]);
    // Same step and timestamp: the larger value wins.
    await logBatch(ctx, runId, { metrics: [{ key: "m", value: 4, timestamp: 5, step: 3 }] });
    expect((await getRun(ctx, runId)).data.metrics[0]?.value).toBe(4);
  });

  it("a chart of a long history reads ~the asked number of points and keeps every bucket's extremes", async () => {
    const runId = await newRun();
    const total = 20_000;
    for (let start = 0; start < total; start += 1000) {
      // Batches arrive out of order: the buckets must not care.
      const from = (start * 7) % total;
      await logBatch(ctx, runId, { metrics: Array.from({ length: 1000 }, (_, i) => ({ key: "loss", value: valueAt(from + i), timestamp: 1_000_000 + from + i, step: from + i })) });
    }
    const chart = await getMetricChart(ctx, { runId, key: "loss", points: 500 });
    expect(chart.downsampled).toBe(true);
    expect(chart.total).toBe(total);
    expect(chart.points.length).toBeGreaterThan(250);
    expect(chart.points.length).toBeLessThanOrEqual(2 * 500);
    // Global extremes survive downsampling, at their own steps.
    const all = Array.from({ length: total }, (_, s) => ({ step: s, value: valueAt(s) }));
    const max = all.reduce((a, b) => (b.value > a.value ? b : a));
    const min = all.reduce((a, b) => (b.value < a.value ? b : a));
    expect(chart.points).toContainEqual({ key: "loss", value: max.value, step: max.step, timestamp: 1_000_000 + max.step });
    expect(chart.points).toContainEqual({ key: "loss", value: min.value, step: min.step, timestamp: 1_000_000 + min.step });
    // Ordered by step, and every point is a real logged point.
    const steps = chart.points.map((p) => p.step);
    expect([...steps].sort((x, y) => x - y)).toEqual(steps);
    for (const p of chart.points) expect(p.value).toBe(valueAt(p.step));
  });

  it("a step range narrows the chart; a short history is returned raw", async () => {
    const runId = await newRun();
    await logBatch(ctx, runId, { metrics: Array.from({ length: 300 }, (_, i) => ({ key: "acc", value: i / 300, timestamp: i, step: i })) });
    const raw = await getMetricChart(ctx, { runId, key: "acc", points: 500 });
    expect(raw).toMatchObject({ downsampled: false, total: 300 });
    expect(raw.points).toHaveLength(300);
    const part = await getMetricChart(ctx, { runId, key: "acc", points: 500, startStep: 100, endStep: 149 });
    expect(part.points.map((p) => p.step)).toEqual(Array.from({ length: 50 }, (_, i) => 100 + i));
  });

  it("histories logged without steps are sampled by time, extremes kept", async () => {
    const runId = await newRun();
    const n = 5000;
    for (let start = 0; start < n; start += 1000) {
      await logBatch(ctx, runId, { metrics: Array.from({ length: 1000 }, (_, i) => ({ key: "t", value: valueAt(start + i), timestamp: start + i, step: 0 })) });
    }
    const chart = await getMetricChart(ctx, { runId, key: "t", points: 100 });
    expect(chart.downsampled).toBe(true);
    expect(chart.points.length).toBeLessThanOrEqual(200);
    expect(chart.points.length).toBeGreaterThan(50);
    const values = Array.from({ length: n }, (_, i) => valueAt(i));
    expect(chart.points.map((p) => p.value)).toContain(Math.max(...values));
    expect(chart.points.map((p) => p.value)).toContain(Math.min(...values));
  });
});
