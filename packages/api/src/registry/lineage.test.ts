import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";
import { GantryError, jobs } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { linkRunToDatasetVersion } from "../datasets";
import type { OrgFixture } from "../testing";
import { binaryCsv, createFakeModelRun, createOrgFixture, fixtureContext, uploadCsvDataset } from "../testing";
import { createEndpoint, deploy } from "../serving";
import { registerVersionFromRun, setAlias, versionLineage } from ".";

const tdb = await createTestDatabase();
let org: OrgFixture;
let ctx: OrgContext;
let store: ArtifactStore;

beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "lineage");
  ctx = fixtureContext(tdb.db, org);
  store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-lineage-")));
});
afterAll(() => tdb.drop());

const modelRun = () => createFakeModelRun(ctx, store, { experimentId: org.experiment.id });

describe("version lineage", () => {
  it("links dataset version → run (and its job) → version, and the other versions trained on the dataset version", async () => {
    const dataset = await uploadCsvDataset(ctx, store, "customers", binaryCsv({ rows: 20 }));
    const trainedOn = async () => {
      const runId = await modelRun();
      await linkRunToDatasetVersion(ctx, runId, dataset.id);
      return runId;
    };
    const runs = [await trainedOn(), await trainedOn(), await trainedOn()] as const;
    const [job] = await tdb.db.insert(jobs).values({ orgId: org.org.id, kind: "train", status: "succeeded", spec: {}, runId: runs[0] }).returning({ id: jobs.id });
    if (!job) throw new Error("job insert returned nothing");
    const v1 = await registerVersionFromRun(ctx, store, { name: "churn", runId: runs[0] });
    await registerVersionFromRun(ctx, store, { name: "churn", runId: runs[1] });
    const other = await registerVersionFromRun(ctx, store, { name: "upsell", runId: runs[2] });
    await setAlias(ctx, { name: "churn", alias: "champion", version: 1 });
    // Not trained on that dataset version: not in the graph.
    await registerVersionFromRun(ctx, store, { name: "churn", runId: await modelRun() });

    const lineage = await versionLineage(ctx, "churn", 1);
    const byId = new Map(lineage.nodes.map((n) => [n.id, n]));
    const focus = `model_version:${v1.id}`;
    expect(byId.get(focus)).toMatchObject({ kind: "model_version", label: "churn v1", focus: true, modelVersion: { name: "churn", version: 1, aliases: ["champion"], archived: false } });
    expect(byId.get(`dataset_version:${dataset.id}`)).toMatchObject({ kind: "dataset_version", label: "customers@1", dataset: { name: "customers", version: 1 } });
    expect(byId.get(`run:${runs[0]}`)).toMatchObject({ kind: "run", run: { id: runs[0], status: "FINISHED", experimentId: org.experiment.id, experimentName: org.experiment.name } });
    expect(byId.get(`job:${job.id}`)).toMatchObject({ kind: "job", job: { id: job.id, status: "succeeded" } });
    expect(lineage.nodes.filter((n) => n.kind === "model_version").map((n) => n.label).sort()).toEqual(["churn v1", "churn v2", "upsell v1"]);
    expect(lineage.nodes.some((n) => n.kind === "endpoint" || n.kind === "ab_test")).toBe(false);

    // Once an endpoint's current deployment serves v1, it follows v1; when it moves on, it leaves.
    await createEndpoint(ctx, { name: "churn-api" });
    await deploy(ctx, "churn-api", { model: "models:/churn@champion", reason: "first" });
    const served = await versionLineage(ctx, "churn", 1);
    const endpoint = served.nodes.find((n) => n.kind === "endpoint");
    expect(endpoint).toMatchObject({ label: "churn-api (rev 1)", endpoint: { name: "churn-api", revision: 1 } });
    expect(served.edges).toContainEqual({ from: focus, to: endpoint?.id, kind: "serves" });
    await deploy(ctx, "churn-api", { model: "models:/churn/2", reason: "second" });
    expect((await versionLineage(ctx, "churn", 1)).nodes.some((n) => n.kind === "endpoint")).toBe(false);
    expect((await versionLineage(ctx, "churn", 2)).nodes.find((n) => n.kind === "endpoint")).toMatchObject({ endpoint: { name: "churn-api", revision: 2 } });
    expect(lineage.edges).toEqual(
      expect.arrayContaining([
        { from: `dataset_version:${dataset.id}`, to: `run:${runs[0]}`, kind: "input" },
        { from: `run:${runs[0]}`, to: focus, kind: "registered" },
        { from: `job:${job.id}`, to: `run:${runs[0]}`, kind: "trained" },
        { from: `dataset_version:${dataset.id}`, to: `model_version:${other.id}`, kind: "trained_on" },
      ]),
    );
    expect(lineage.edges).toHaveLength(5);
    // Every edge joins nodes of the graph.
    for (const e of lineage.edges) expect(byId.has(e.from) && byId.has(e.to)).toBe(true);
  });

  it("is just the version when it has no dataset version and no job", async () => {
    const v = await registerVersionFromRun(ctx, store, { name: "bare", runId: await modelRun() });
    const lineage = await versionLineage(ctx, "bare", 1);
    expect(lineage.nodes.map((n) => n.kind).sort()).toEqual(["model_version", "run"]);
    expect(lineage.edges).toEqual([{ from: lineage.nodes.find((n) => n.kind === "run")?.id, to: `model_version:${v.id}`, kind: "registered" }]);
  });

  it("names the unknown model and version", async () => {
    await expect(versionLineage(ctx, "ghost", 1)).rejects.toMatchObject({ code: "NOT_FOUND", field: "name" });
    await expect(versionLineage(ctx, "bare", 9)).rejects.toBeInstanceOf(GantryError);
    await expect(versionLineage(ctx, "bare", 9)).rejects.toMatchObject({ code: "NOT_FOUND", field: "version" });
  });
});
