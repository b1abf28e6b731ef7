import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";
import { GantryError } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import type { OrgFixture } from "../testing";
import { createFakeModelRun, createOrgFixture, fixtureContext } from "../testing";
import { createRegisteredModel, getModelVersion, registerVersionFromRun, setModelTag } from ".";
import { parseRegistryFilter } from "./search-filter";
import { searchModelVersions, searchRegisteredModels } from "./search";
import { latestVersionsByStage, STAGE_TAG, transitionVersionStage } from "./stages";
import { versionSourceUris } from "./version-sources";

/* What the MLflow registry API needs beyond the core services: search, stages, source URIs. */

const tdb = await createTestDatabase();
let a: OrgFixture;
let ctx: OrgContext;
let other: OrgContext;
let store: ArtifactStore;
let runIds: string[];

beforeAll(async () => {
  a = await createOrgFixture(tdb.db, "views-a");
  const b = await createOrgFixture(tdb.db, "views-b");
  ctx = fixtureContext(tdb.db, a);
  other = fixtureContext(tdb.db, b);
  store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-views-")));
  for (const name of ["churn", "churn-v2", "fraud", "Forecast"]) await createRegisteredModel(ctx, { name });
  await setModelTag(ctx, "fraud", { key: "team", value: "risk" });
  await createRegisteredModel(other, { name: "churn-of-b" });
  runIds = [];
  for (let i = 0; i < 3; i++) {
    const runId = await createFakeModelRun(ctx, store, { experimentId: a.experiment.id });
    runIds.push(runId);
    await registerVersionFromRun(ctx, store, { name: "churn", runId });
  }
  await registerVersionFromRun(ctx, store, { name: "fraud", runId: runIds[0] ?? "" });
});
afterAll(() => tdb.drop());

const names = (r: { models: { name: string }[] }) => r.models.map((m) => m.name);

async function expectInvalid(p: Promise<unknown>, field: string, pattern?: RegExp) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GantryError);
  expect(error).toMatchObject({ code: "INVALID_INPUT", field });
  if (pattern) expect((error as Error).message).toMatch(pattern);
}

describe("registry filters", () => {
  it("parses attributes, tags (bare, quoted), LIKE/ILIKE/IN and AND", () => {
    expect(parseRegistryFilter(`name LIKE 'churn%' and tags.team = "risk" AND tag.\`a b\` != 'x'`, ["name"])).toEqual([
      { key: "name", tag: false, op: "LIKE", values: ["churn%"] },
      { key: "team", tag: true, op: "=", values: ["risk"] },
      { key: "a b", tag: true, op: "!=", values: ["x"] },
    ]);
    expect(parseRegistryFilter("run_id not  in ('a', 'b')", ["run_id"])).toEqual([{ key: "run_id", tag: false, op: "NOT IN", values: ["a", "b"] }]);
    expect(parseRegistryFilter("  ", ["name"])).toEqual([]);
  });

  it.each([
    ["name = churn", /quoted value/],
    ["name LIKE 'x' OR name = 'y'", /AND or the end/],
    ["version > '1'", /'version' cannot be searched/],
    ["name = 'x", /unterminated/],
    ["name IN 'x'", /'\('/],
    ["name ~ 'x'", /LIKE/],
  ])("%s is INVALID_INPUT naming filter", async (filter, pattern) => {
    await expectInvalid(searchRegisteredModels(ctx, { filter }), "filter", pattern);
  });
});

describe("searchRegisteredModels", () => {
  it("filters by name (=, LIKE case-sensitive, ILIKE) and tags, only in the org", async () => {
    expect(names(await searchRegisteredModels(ctx, {}))).toEqual(["Forecast", "churn", "churn-v2", "fraud"]);
    expect(names(await searchRegisteredModels(ctx, { filter: "name = 'churn'" }))).toEqual(["churn"]);
    expect(names(await searchRegisteredModels(ctx, { filter: "name LIKE 'churn%'" }))).toEqual(["churn", "churn-v2"]);
    expect(names(await searchRegisteredModels(ctx, { filter: "name LIKE 'f%'" }))).toEqual(["fraud"]);
    expect(names(await searchRegisteredModels(ctx, { filter: "name ILIKE 'f%'" }))).toEqual(["Forecast", "fraud"]);
    expect(names(await searchRegisteredModels(ctx, { filter: "tags.team = 'risk'" }))).toEqual(["fraud"]);
    expect(names(await searchRegisteredModels(other, { filter: "name LIKE '%churn%'" }))).toEqual(["churn-of-b"]);
  });

  it("orders and pages with tokens until there is none", async () => {
    expect(names(await searchRegisteredModels(ctx, { orderBy: ["name DESC"] }))).toEqual(["fraud", "churn-v2", "churn", "Forecast"]);
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await searchRegisteredModels(ctx, { maxResults: 3, pageToken, orderBy: ["name ASC"] });
      seen.push(...names(page));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen).toEqual(["Forecast", "churn", "churn-v2", "fraud"]);
  });

  it("refuses bad order_by entries, page sizes and tokens", async () => {
    await expectInvalid(searchRegisteredModels(ctx, { orderBy: ["size DESC"] }), "order_by");
    await expectInvalid(searchRegisteredModels(ctx, { maxResults: 1001 }), "max_results");
    await expectInvalid(searchRegisteredModels(ctx, { maxResults: 0 }), "max_results");
    await expectInvalid(searchRegisteredModels(ctx, { pageToken: "!!" }), "page_token");
  });
});

describe("searchModelVersions", () => {
  it("filters by name and run_id (=, IN), newest first; a run id that is not a uuid matches nothing", async () => {
    const versions = (r: { versions: { name: string; version: number }[] }) => r.versions.map((v) => `${v.name}/${v.version}`);
    expect(versions(await searchModelVersions(ctx, { filter: "name = 'churn'" }))).toEqual(["churn/3", "churn/2", "churn/1"]);
    expect(versions(await searchModelVersions(ctx, { filter: `run_id = '${runIds[0] ?? ""}'`, orderBy: ["name"] }))).toEqual(["churn/1", "fraud/1"]);
    expect(versions(await searchModelVersions(ctx, { filter: `run_id IN ('${runIds[1] ?? ""}', '${runIds[2] ?? ""}')` }))).toEqual(["churn/3", "churn/2"]);
    expect(versions(await searchModelVersions(ctx, { filter: "run_id = 'nope'" }))).toEqual([]);
    expect(versions(await searchModelVersions(other, { filter: "name = 'churn'" }))).toEqual([]);
    const first = await searchModelVersions(ctx, { maxResults: 2, orderBy: ["version_number ASC", "name ASC"] });
    expect(versions(first)).toEqual(["churn/1", "fraud/1"]);
    expect(versions(await searchModelVersions(ctx, { maxResults: 2, orderBy: ["version_number ASC", "name ASC"], pageToken: first.nextPageToken }))).toEqual(["churn/2", "churn/3"]);
  });
});

describe("stages (MLflow's, kept as the tag mlflow.stage)", () => {
  it("transitions, archiving the others in the stage when asked, and finds the newest per stage", async () => {
    const at = async (version: number) => (await getModelVersion(ctx, "churn", version)).tags[STAGE_TAG] ?? "None";
    await transitionVersionStage(ctx, { name: "churn", version: 1, stage: "production" });
    await transitionVersionStage(ctx, { name: "churn", version: 2, stage: "Production" });
    expect([await at(1), await at(2), await at(3)]).toEqual(["Production", "Production", "None"]);
    const moved = await transitionVersionStage(ctx, { name: "churn", version: 3, stage: "Production", archiveExisting: true });
    expect(moved.tags[STAGE_TAG]).toBe("Production");
    expect([await at(1), await at(2), await at(3)]).toEqual(["Archived", "Archived", "Production"]);
    const [model] = (await searchRegisteredModels(ctx, { filter: "name = 'churn'" })).models;
    if (!model) throw new Error("no model");
    const latest = await latestVersionsByStage(ctx, [model]);
    expect(latest.get(model.id)?.map((v) => `${v.version}:${v.tags[STAGE_TAG] ?? "None"}`)).toEqual(["2:Archived", "3:Production"]);
    expect((await latestVersionsByStage(ctx, [model], ["Staging"])).get(model.id)).toEqual([]);
    await transitionVersionStage(ctx, { name: "churn", version: 2, stage: "None" });
    expect((await getModelVersion(ctx, "churn", 2)).tags).not.toHaveProperty(STAGE_TAG);
  });

  it("refuses unknown stages, and archiving for stages other than Staging and Production", async () => {
    await expectInvalid(transitionVersionStage(ctx, { name: "churn", version: 1, stage: "Live" }), "stage");
    await expectInvalid(transitionVersionStage(ctx, { name: "churn", version: 1, stage: "Archived", archiveExisting: true }), "archive_existing_versions");
  });

  it("is the org's own: another org's stage change is NOT_FOUND", async () => {
    await expect(transitionVersionStage(other, { name: "churn", version: 1, stage: "Staging" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("versionSourceUris", () => {
  it("names the run's model directory behind the artifact proxy", async () => {
    const v = await getModelVersion(ctx, "churn", 1);
    expect((await versionSourceUris(ctx, [v])).get(v.id)).toBe(`mlflow-artifacts:/${a.experiment.id}/${runIds[0] ?? ""}/artifacts/model`);
    expect((await versionSourceUris(other, [v])).size).toBe(0);
  });
});
