import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eq, sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import type { GantryError } from "@gantry/schema";
import { abTests, alerts, auditEvents } from "@gantry/schema";

import { createFsArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { registerVersionFromRun, resolveModelUri, setAlias } from "../registry";
import { createEndpoint, deploy, ensurePredictionPartitions, getEndpoint } from "../serving";
import type { OrgFixture } from "../testing";
import { createFakeModelRun, createOrgFixture, fixtureContext } from "../testing";
import { abTestResults, advanceCanaries, getAbTest, listAbTests, promoteAbTest, startAbTest, stopAbTest } from ".";

/* A/B tests as services: starting (validation, policy), results from the log and feedback, decisions, the canary controller. */

const tdb = await createTestDatabase();
let org: OrgFixture;
let other: OrgFixture;
let ctx: OrgContext;

beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "abtests");
  other = await createOrgFixture(tdb.db, "abtests-other");
  ctx = fixtureContext(tdb.db, org);
  const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-abtests-")));
  for (let i = 0; i < 3; i++) await registerVersionFromRun(ctx, store, { name: "scorer", runId: await createFakeModelRun(ctx, store, { experimentId: org.experiment.id }) });
  const wide = { inputs: [{ name: "x1", type: "numeric", required: true }, { name: "x9", type: "numeric", required: true }], task: "binary", target: "label", labels: ["no", "yes"] };
  await registerVersionFromRun(ctx, store, { name: "wide", runId: await createFakeModelRun(ctx, store, { experimentId: org.experiment.id, signature: wide }) });
  await setAlias(ctx, { name: "scorer", alias: "champion", version: 1 });
  await setAlias(ctx, { name: "scorer", alias: "challenger", version: 2 });
  await ensurePredictionPartitions(tdb.db, { from: new Date(), days: 2 });
  for (const name of ["shop", "canary-up", "canary-down"]) {
    await createEndpoint(ctx, { name });
    await deploy(ctx, name, { model: "models:/scorer@champion" });
  }
}, 60_000);
afterAll(() => tdb.drop());

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a failure"); }, (e: unknown) => e as GantryError);
const split = (over: Record<string, unknown> = {}) => ({
  endpoint: "shop",
  name: "checkout-model",
  kind: "split" as const,
  variants: [{ model: "scorer@champion", weight: 50 }, { model: "scorer@challenger", weight: 50 }],
  plan: { baseline: 0.1, minimumDetectableEffect: 0.1 },
  promoteAlias: "champion",
  ...over,
});

/** Logged predictions and feedback as the serving layer writes them: `units` per variant, `conversions` of them converted. */
async function traffic(endpoint: string, tag: string, arms: Record<string, { units: number; conversions: number }>) {
  const e = await getEndpoint(ctx, endpoint);
  const [{ id: endpointId } = { id: "" }] = (await tdb.db.execute(sql`select id from endpoints where org_id = ${org.org.id} and name = ${endpoint}`)) as unknown as { id: string }[];
  for (const [variant, { units, conversions }] of Object.entries(arms)) {
    await tdb.db.execute(sql`
      insert into prediction_log (created_at, request_id, row_index, org_id, endpoint_id, revision, variant, model_version_id, unit_id, features, outputs, latency_ms, status)
      select now(), ${`${tag}-${variant}-`} || g, 0, ${org.org.id}, ${endpointId}, ${e.revision}, ${variant}, ${e.revisions[0]?.policy.variants[0].modelVersionId}, ${`${variant}-unit-`} || g, '{}'::jsonb, '{}'::jsonb, 1, 200
        from generate_series(1, ${units}) g`);
    await tdb.db.execute(sql`
      insert into prediction_feedback (id, org_id, endpoint_id, request_id, row_index, reward)
      select gen_random_uuid(), ${org.org.id}, ${endpointId}, ${`${tag}-${variant}-`} || g, 0, 1 from generate_series(1, ${conversions}) g`);
  }
}

describe("starting a test", () => {
  it("refuses bad policies with a reason: weights, unknown versions, another signature, two tests at once", async () => {
    expect(await failure(startAbTest(ctx, split({ variants: [{ model: "scorer@champion", weight: 50 }, { model: "scorer@challenger", weight: 45 }] })))).toMatchObject({ code: "INVALID_INPUT", field: "variants", message: "variant weights must sum to 100, got 95" });
    expect(await failure(startAbTest(ctx, split({ variants: [{ model: "scorer@champion", weight: 50 }, { model: "scorer/9", weight: 50 }] })))).toMatchObject({ code: "NOT_FOUND", field: "variants[1].model" });
    const wide = await failure(startAbTest(ctx, split({ variants: [{ model: "scorer@champion", weight: 50 }, { model: "wide/1", weight: 50 }] })));
    expect(wide).toMatchObject({ code: "INVALID_INPUT", field: "variants[1].model" });
    expect(wide.message).toMatch(/wide\/1 takes \(x1, x9\) but the control scorer\/1 takes \(x1\): the variants of a test must share a signature/);
    expect(await failure(startAbTest(ctx, split({ variants: [{ model: "scorer@champion", weight: 50 }, { model: "scorer/1", weight: 50 }] })))).toMatchObject({ field: "variants[1].model" });
    expect(await failure(startAbTest(ctx, { ...split(), kind: "canary", variants: [{ model: "scorer@champion" }, { model: "scorer@challenger" }], canary: { steps: [50, 10, 100], everyMinutes: 5 } }))).toMatchObject({ field: "canary.steps" });
    expect(await failure(startAbTest(ctx, split({ endpoint: "nope" })))).toMatchObject({ code: "NOT_FOUND" });
    expect(await tdb.db.select().from(abTests)).toHaveLength(0);

    const test = await startAbTest(ctx, split());
    expect(test).toMatchObject({ name: "checkout-model", endpoint: "shop", kind: "split", status: "running", variants: [{ name: "control", version: 1, weight: 50 }, { name: "treatment", version: 2, weight: 50 }] });
    // 0.1 → 0.11 at α 0.05, power 0.8: Fleiss' formula gives 14,751 per arm.
    expect(test.plan.unitsPerVariant).toBeGreaterThan(14_000);
    const endpoint = await getEndpoint(ctx, "shop");
    expect(endpoint.revisions[0]?.policy).toMatchObject({ kind: "split", abTestId: test.id, salt: test.id });
    expect(await failure(startAbTest(ctx, split({ name: "second" })))).toMatchObject({ code: "CONFLICT", field: "endpoint" });
    expect(await listAbTests(ctx, { endpoint: "shop" })).toHaveLength(1);
    // Another org sees nothing and can decide nothing.
    const theirs = fixtureContext(tdb.db, other);
    expect(await failure(getAbTest(theirs, test.id))).toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(stopAbTest(theirs, { id: test.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await listAbTests(theirs)).toEqual([]);
  });
});

describe("results and decisions", () => {
  it("computes per-variant results from the log and feedback, with a verdict, then promotes the winner and moves the alias", async () => {
    const [test] = await listAbTests(ctx, { endpoint: "shop" });
    if (!test) throw new Error("no test");
    await traffic("shop", "win", { control: { units: 20_000, conversions: 2_000 }, treatment: { units: 20_000, conversions: 2_400 } });
    const r = await abTestResults(ctx, test.id, (id) => getAbTest(ctx, id));
    const [control, treatment] = r.variants;
    expect(control).toMatchObject({ name: "control", units: 20_000, mean: 0.1, control: true });
    expect(treatment).toMatchObject({ name: "treatment", units: 20_000, mean: 0.12 });
    expect(treatment?.relative?.effect).toBeCloseTo(0.2, 10);
    expect(treatment?.pValue).toBeLessThan(1e-6);
    expect(treatment?.sequentialPValue).toBeLessThan(0.05);
    expect(treatment?.chanceToBeatControl).toBeGreaterThan(0.99);
    expect(r.srm).toMatchObject({ flagged: false });
    expect(r.verdict.decision).toBe("promote");
    expect(r.verdict.sentence).toMatch(/^B is better by 20\.0% ± /);
    expect(r.best).toBe("treatment");
    expect(r.series.at(-1)).toMatchObject({ variant: "treatment", units: 20_000 });

    const done = await promoteAbTest(ctx, { id: test.id, reason: "clear win" }, async () => r.best ?? "control");
    expect(done).toMatchObject({ status: "promoted", decision: "treatment: clear win", decidedBy: org.users.owner.email });
    expect((await resolveModelUri(ctx, "models:/scorer@champion")).version).toBe(2);
    const endpoint = await getEndpoint(ctx, "shop");
    expect(endpoint).toMatchObject({ model: "scorer", version: 2 });
    expect(endpoint.revisions[0]?.policy.kind).toBe("single");
    expect(await failure(stopAbTest(ctx, { id: test.id }))).toMatchObject({ code: "PRECONDITION_FAILED" });
    const actions = (await tdb.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.orgId, org.org.id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["abtest.start", "abtest.promote"]));
    await setAlias(ctx, { name: "scorer", alias: "champion", version: 1 });
  });

  it("flags a sample-ratio mismatch of 52/48 on a 50/50 plan", async () => {
    await deploy(ctx, "shop", { model: "models:/scorer@champion" });
    const test = await startAbTest(ctx, split({ name: "srm-check" }));
    await traffic("shop", "srm", { control: { units: 10_400, conversions: 1_040 }, treatment: { units: 9_600, conversions: 960 } });
    const r = await abTestResults(ctx, test.id, (id) => getAbTest(ctx, id));
    expect(r.srm?.flagged).toBe(true);
    expect(r.verdict.decision).toBe("invalid");
    expect((await stopAbTest(ctx, { id: test.id, reason: "broken split" })).status).toBe("stopped");
    expect((await getEndpoint(ctx, "shop")).version).toBe(1);
  });
});

describe("the canary controller", () => {
  const canary = (endpoint: string) => ({
    endpoint,
    name: `${endpoint}-ramp`,
    kind: "canary" as const,
    variants: [{ model: "scorer@champion" }, { model: "scorer@challenger" }],
    plan: { baseline: 0.1, minimumDetectableEffect: 0.1 },
    promoteAlias: "champion",
    canary: { steps: [10, 50, 100], everyRequests: 100, maxErrorRate: 0.05, maxP99Ms: 250, minRequests: 50 },
  });
  /** What the serving layer's minute stats would hold for the candidate since its step began. */
  const ops = async (endpoint: string, requests: number, errors: number) => {
    await tdb.db.execute(sql`
      insert into endpoint_minute_stats (org_id, endpoint_id, revision, variant, minute, requests, errors, latency_sum_ms, latency_buckets)
      select ${org.org.id}, e.id, r.revision, 'treatment', date_trunc('minute', now()), ${requests}, ${errors}, ${requests * 3},
             array[0,0,0,0,${requests},0,0,0,0,0,0,0,0,0,0,0,0,0]::int[]
        from endpoints e join deployment_revisions r on r.id = e.current_revision_id where e.org_id = ${org.org.id} and e.name = ${endpoint}
      on conflict (endpoint_id, revision, variant, minute) do update set requests = excluded.requests, errors = excluded.errors, latency_buckets = excluded.latency_buckets`);
  };

  it("a healthy canary steps up to 100% and moves the alias; a breach rolls back by itself and raises an alert", async () => {
    const up = await startAbTest(ctx, canary("canary-up"));
    const down = await startAbTest(ctx, canary("canary-down"));
    expect((await getEndpoint(ctx, "canary-up")).revisions[0]?.policy.variants.map((v) => v.weight)).toEqual([90, 10]);

    await ops("canary-up", 20, 0);
    expect((await advanceCanaries(tdb.db)).find((o) => o.endpoint === "canary-up")?.action).toBe("wait");
    for (const [weights, action] of [[[50, 50], "advance"], [[0, 100], "advance"], [null, "promote"]] as const) {
      await ops("canary-up", 150, 1);
      const outcome = (await advanceCanaries(tdb.db)).find((o) => o.endpoint === "canary-up");
      expect(outcome?.action).toBe(action);
      if (weights) expect((await getEndpoint(ctx, "canary-up")).revisions[0]?.policy.variants.map((v) => v.weight)).toEqual(weights);
    }
    expect(await getAbTest(ctx, up.id)).toMatchObject({ status: "promoted" });
    expect((await resolveModelUri(ctx, "models:/scorer@champion")).version).toBe(2);

    await ops("canary-down", 100, 12);
    const outcome = (await advanceCanaries(tdb.db)).find((o) => o.endpoint === "canary-down");
    expect(outcome).toMatchObject({ action: "rollback" });
    expect(outcome?.detail).toMatch(/error rate 12\.0% > 5\.0%/);
    expect(await getAbTest(ctx, down.id)).toMatchObject({ status: "rolled_back", decidedBy: "canary controller" });
    const e = await getEndpoint(ctx, "canary-down");
    expect(e.revisions[0]?.policy.kind).toBe("single");
    const [alert] = await tdb.db.select().from(alerts).where(eq(alerts.orgId, org.org.id));
    expect(alert).toMatchObject({ source: "canary", severity: "critical", status: "firing" });
    expect(alert?.title).toMatch(/rolled back: error rate 12\.0% > 5\.0%/);
  });
});
