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
  org = await createOrgFixture(tdb.db, "logging");
  ctx = { db: tdb.db, orgId: org.org.id, actor: { type: "user", userId: org.users.owner.id, label: "owner" }, role: "owner" };
});
afterAll(() => tdb.drop());

describe("logBatch under concurrency", () => {
  it("concurrent batches of one run, with keys and steps in different orders, all land (no deadlock, no lost point)", async () => {
    const runId = (await createRun(ctx, { experimentId: org.experiment.id })).info.id;
    const keys = ["a", "b", "c", "d"];
    const batches = Array.from({ length: 16 }, (_, i) => {
      const order = i % 2 ? [...keys].reverse() : keys;
      return Array.from({ length: 200 }, (_, j) => {
        const step = i % 2 ? 200 * i + (199 - j) : 200 * i + j;
        return order.map((key) => ({ key, value: step + key.charCodeAt(0), timestamp: step, step }));
      }).flat();
    });
    await Promise.all(batches.map((metrics) => logBatch(ctx, runId, { metrics })));
    for (const key of keys) {
      const history = await getMetricHistory(ctx, { runId, key });
      expect(history.metrics).toHaveLength(3200);
      const chart = await getMetricChart(ctx, { runId, key, points: 100 });
      expect(chart.total).toBe(3200);
    }
    const run = await getRun(ctx, runId);
    expect(run.data.metrics.map((m) => [m.key, m.step])).toEqual(keys.map((k) => [k, 3199]));
  });
});
