import fc from "fast-check";

import type { Database } from "@gantry/db";
import { experiments, latestMetrics, newId, orgs, runInputs, runParams, runs, runStatuses, runTags } from "@gantry/schema";

import type { SearchableRun } from "./evaluate";

/*
 * Random runs for the search property tests. A small vocabulary on purpose: keys and values
 * collide, start times tie, LIKE's special characters turn up in the data.
 */

export const vocabulary = {
  paramKeys: ["a", "b", "c.d", "x y"],
  tagKeys: ["t1", "t2", "mlflow.user"],
  metricKeys: ["m1", "m2", "m.3"],
  missingKey: "nope",
  characters: ["a", "b", "A", "B", "_", "%", "\\", "'", '"', "é", " "],
  datasetNames: ["train", "eval", "Train"],
  digests: ["d1", "d2", "D1"],
  contexts: ["training", "eval"],
  startTimes: { min: 1000, max: 1010 },
};

export type TestRun = SearchableRun & { experimentId: string; lifecycleStage: "active" | "deleted" };

export const textArbitrary = fc.array(fc.constantFrom(...vocabulary.characters), { maxLength: 4 }).map((characters) => characters.join(""));

const metricValue = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.5, -0, 1e300, 2.5),
  fc.double(),
);

const runData = fc.record({
  name: textArbitrary,
  status: fc.constantFrom(...runStatuses),
  userId: fc.option(textArbitrary),
  startTime: fc.integer(vocabulary.startTimes),
  endTime: fc.option(fc.integer({ min: 1000, max: 1020 })),
  deleted: fc.boolean(),
  experiment: fc.constantFrom(0, 1),
  params: fc.dictionary(fc.constantFrom(...vocabulary.paramKeys), textArbitrary),
  tags: fc.dictionary(fc.constantFrom(...vocabulary.tagKeys), textArbitrary),
  metrics: fc.dictionary(fc.constantFrom(...vocabulary.metricKeys), metricValue),
  datasets: fc.uniqueArray(
    fc.record({ name: fc.constantFrom(...vocabulary.datasetNames), digest: fc.constantFrom(...vocabulary.digests), context: fc.option(fc.constantFrom(...vocabulary.contexts)) }),
    { selector: (d) => `${d.name}/${d.digest}`, maxLength: 2 },
  ),
});
type RunData = typeof runData extends fc.Arbitrary<infer T> ? T : never;

export type SeededRuns = {
  orgId: string;
  /** The two experiments searched. */
  experimentIds: [string, string];
  /** Runs that must never come back: another org's (in an experiment id that is searched too) and an unsearched experiment's. */
  outsiders: { experimentIds: string[]; runIds: string[] };
  runs: TestRun[];
};

export async function seedRuns(db: Database, options: { seed: number; count: number }): Promise<SeededRuns> {
  const data = fc.sample(fc.array(runData, { minLength: options.count, maxLength: options.count }), { seed: options.seed, numRuns: 1 })[0] ?? [];
  const org = await createOrg(db, "search");
  const other = await createOrg(db, "elsewhere");
  const [first, second, unsearched] = await Promise.all([createExperiment(db, org, "one"), createExperiment(db, org, "two"), createExperiment(db, org, "three")]);
  const foreign = await createExperiment(db, other, "foreign");

  const testRuns = data.map((d) => toTestRun(d, d.experiment === 0 ? first : second));
  await insertRuns(db, org, testRuns);
  // Copies of the first run's data elsewhere: they match whatever it matches.
  const template = data[0];
  const outsiders = template ? [toTestRun({ ...template, deleted: false }, foreign), toTestRun({ ...template, deleted: false }, unsearched)] : [];
  const [foreignRun, unsearchedRun] = outsiders;
  if (foreignRun) await insertRuns(db, other, [foreignRun]);
  if (unsearchedRun) await insertRuns(db, org, [unsearchedRun]);
  return {
    orgId: org,
    experimentIds: [first, second],
    outsiders: { experimentIds: [foreign, unsearched], runIds: outsiders.map((r) => r.id) },
    runs: testRuns,
  };
}

function toTestRun(d: RunData, experimentId: string): TestRun {
  const id = newId();
  return {
    id,
    experimentId,
    lifecycleStage: d.deleted ? "deleted" : "active",
    name: d.name,
    status: d.status,
    userId: d.userId,
    startTime: d.startTime,
    endTime: d.endTime,
    artifactUri: `mlflow-artifacts:/${experimentId}/${id}/artifacts`,
    params: { ...d.params },
    tags: { ...d.tags },
    metrics: { ...d.metrics },
    datasets: d.datasets,
  };
}

let orgCounter = 0;
async function createOrg(db: Database, label: string): Promise<string> {
  const slug = `${label}-${Date.now().toString(36)}-${orgCounter++}`;
  const [org] = await db.insert(orgs).values({ slug, name: label }).returning({ id: orgs.id });
  if (!org) throw new Error("org insert returned nothing");
  return org.id;
}

async function createExperiment(db: Database, orgId: string, name: string): Promise<string> {
  const id = newId();
  await db.insert(experiments).values({ id, orgId, name, artifactLocation: `mlflow-artifacts:/${id}`, creationTime: 0, lastUpdateTime: 0 });
  return id;
}

async function insertRuns(db: Database, orgId: string, list: readonly TestRun[]): Promise<void> {
  if (list.length === 0) return;
  await db.insert(runs).values(
    list.map((r) => ({
      id: r.id,
      orgId,
      experimentId: r.experimentId,
      name: r.name,
      status: r.status as (typeof runStatuses)[number],
      startTime: r.startTime,
      endTime: r.endTime,
      userId: r.userId,
      lifecycleStage: r.lifecycleStage,
    })),
  );
  const entries = <V>(pick: (r: TestRun) => Record<string, V>) => list.flatMap((r) => Object.entries(pick(r)).map(([key, value]) => ({ orgId, runId: r.id, key, value })));
  const params = entries((r) => r.params);
  const tags = entries((r) => r.tags);
  const metrics = entries((r) => r.metrics).map((m) => ({ ...m, timestamp: 0, step: 0 }));
  const inputs = list.flatMap((r) =>
    r.datasets.map((d) => ({
      orgId,
      runId: r.id,
      name: d.name,
      digest: d.digest,
      sourceType: "local",
      source: "{}",
      tags: d.context === null ? [] : [{ key: "mlflow.data.context", value: d.context }],
    })),
  );
  if (params.length) await db.insert(runParams).values(params);
  if (tags.length) await db.insert(runTags).values(tags);
  if (metrics.length) await db.insert(latestMetrics).values(metrics);
  if (inputs.length) await db.insert(runInputs).values(inputs);
}
