import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import { createFsArtifactStore } from "../artifacts";
import { callerFor } from "../testing";
import { seedDemo } from "./demo";
import { DEMO_EXPERIMENT } from "./tracking";

const tdb = await createTestDatabase();
afterAll(() => tdb.drop());

describe("demo seed", () => {
  it("seeds the demo user, org, key and an experiment with curves once; a restart adds nothing", async () => {
    const artifacts = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-seed-")));
    const demo = await seedDemo(tdb.db, { artifacts });
    expect(demo).toMatchObject({ email: "demo@gantry.local", org: "demo" });
    const api = callerFor(tdb.db, { apiKey: demo?.apiKey });
    expect((await api.auth.whoami()).scopes).toEqual(["read", "write", "predict", "admin"]);

    const { experiments } = await api.experiment.list({});
    const experiment = experiments.find((e) => e.name === DEMO_EXPERIMENT);
    expect(experiment).toBeDefined();
    const { runs } = await api.run.search({ experimentIds: [experiment?.id ?? ""], orderBy: ["metrics.test_auc DESC"] });
    expect(runs.map((r) => r.info.name)).toEqual(["mlp-128-64", "mlp-64-32", "mlp-128-64-lr-high", "baseline-logreg"]);
    expect(runs.every((r) => r.info.status === "FINISHED")).toBe(true);
    const chart = await api.run.metricChart({ runId: runs[0]?.info.id ?? "", key: "val_auc" });
    expect(chart.points).toHaveLength(60);
    expect((await api.run.artifacts({ runId: runs[0]?.info.id ?? "" })).files).toEqual([{ path: "summary.json", isDir: false, fileSize: expect.any(Number) }]);

    expect(await seedDemo(tdb.db, { artifacts })).toBeNull();
    expect((await api.experiment.list({})).experiments.filter((e) => e.name === DEMO_EXPERIMENT)).toHaveLength(1);
  });
});
