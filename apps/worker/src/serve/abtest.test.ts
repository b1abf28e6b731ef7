import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { advanceCanaries, getAbTest, startAbTest, stopAbTest } from "@gantry/api/abtests";
import { registerVersionFromRun, resolveModelUri, setAlias } from "@gantry/api/registry";
import { deploy, getEndpoint } from "@gantry/api/serving";
import { createFakeModelRun, until } from "@gantry/api/testing";
import { eq, sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { alerts } from "@gantry/schema";

import type { ServeFixture } from "./testing";
import { createServeFixture, startTestServer } from "./testing";

/* Traffic policies on the serving port: sticky splits, shadow traffic, bandits and canaries, with real models. */

const tdb = await createTestDatabase();
let f: ServeFixture;
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  f = await createServeFixture(tdb.db, "serve-ab");
  // Version 3 has the same signature but a pipeline that cannot load: every request it gets fails (the injected error rate).
  const broken = await createFakeModelRun(f.ctx, f.store, { experimentId: f.org.experiment.id, signature: f.trained[0].signature as never });
  await registerVersionFromRun(f.ctx, f.store, { name: "scorer", runId: broken });
  await setAlias(f.ctx, { name: "scorer", alias: "champion", version: 1 });
  server = await startTestServer(tdb.db, f.store, { url: tdb.url, banditRefreshMs: 100 });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await tdb.drop();
});

const wait = (check: () => boolean | Promise<boolean>, what: string) => until(async () => check(), Boolean, what, 60_000, 50);
const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.base}/orgs/${f.org.slug}/v1/models/scorer-api:predict`, {
    method: "POST",
    headers: { authorization: `Bearer ${f.org.keys.predict.secret}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const row = () => ({ ...(f.rows(f.trained[0])[0] ?? {}) });
const plan = { baseline: 0.1, minimumDetectableEffect: 0.1 };
const started = async (policyKind: string) => wait(async () => (await getEndpoint(f.ctx, "scorer-api")).revisions[0]?.policy.kind === policyKind, `${policyKind} deployed`);

describe("split", () => {
  it("keeps each unit on its variant, takes the unit from a field the model does not have, and logs it", async () => {
    const test = await startAbTest(f.ctx, { endpoint: "scorer-api", name: "sticky", kind: "split", stickyKey: "user_id", variants: [{ model: "scorer/1", weight: 50 }, { model: "scorer/2", weight: 50 }], plan });
    await started("split");
    const seen = new Map<string, string>();
    // The policy reaches the server by NOTIFY: wait until it answers with the split's variant names.
    await wait(async () => ((await (await post({ instances: [{ ...row(), user_id: "u-0" }] })).json()) as { variant: string }).variant !== "default", "the split in place");
    for (let round = 0; round < 2; round++) {
      for (let u = 0; u < 40; u++) {
        const response = await post({ instances: [{ ...row(), user_id: `u-${u}` }] });
        expect(response.status).toBe(200);
        const { variant } = (await response.json()) as { variant: string };
        if (round === 0) seen.set(`u-${u}`, variant);
        else expect(variant).toBe(seen.get(`u-${u}`));
      }
    }
    expect(new Set(seen.values())).toEqual(new Set(["control", "treatment"]));
    // The header wins over the field and sticks the same way.
    const byHeader = await Promise.all([1, 2, 3].map(async () => ((await (await post({ instances: [row()] }, { "x-unit-id": "u-7" })).json()) as { variant: string }).variant));
    expect(new Set(byHeader)).toEqual(new Set([seen.get("u-7")]));
    await server.state.predictionLog.flush();
    const [logged] = (await tdb.db.execute(sql`select count(distinct unit_id)::int as units, bool_and(not features ? 'user_id') as stripped from prediction_log where unit_id like 'u-%'`)) as unknown as { units: number; stripped: boolean }[];
    expect(logged).toEqual({ units: 40, stripped: true });
    await stopAbTest(f.ctx, { id: test.id });
  });
});

describe("shadow", () => {
  it("answers with the champion only, and logs the challenger's predictions of the same rows", async () => {
    const test = await startAbTest(f.ctx, { endpoint: "scorer-api", name: "shadow-v2", kind: "shadow", variants: [{ model: "scorer/1" }, { model: "scorer/2" }], shadow: { mirrorPercent: 100 }, plan });
    await started("shadow");
    const rows = f.rows(f.trained[0]);
    const v1 = f.trained[0].sample.predictions.map((p) => ("label" in p ? p.label : p.value));
    await wait(async () => (await post({ instances: rows })).headers.get("x-gantry-variant") === "control", "the shadow in place");
    const response = await post({ instances: rows });
    const answer = (await response.json()) as { predictions: { label: string }[]; model_version: string; variant: string };
    expect(answer).toMatchObject({ model_version: "1", variant: "control" });
    expect(answer.predictions.map((p) => p.label)).toEqual(v1);
    const requestId = response.headers.get("x-request-id") ?? "";
    await wait(async () => {
      await server.state.predictionLog.flush();
      const [r] = (await tdb.db.execute(sql`select count(*)::int as n from prediction_log where request_id = ${requestId} and variant = 'treatment'`)) as unknown as { n: number }[];
      return r?.n === rows.length;
    }, "the mirrored rows");
    const variants = (await tdb.db.execute(sql`select variant, count(*)::int as n from prediction_log where request_id = ${requestId} group by variant order by variant`)) as unknown as { variant: string; n: number }[];
    expect(variants).toEqual([{ variant: "control", n: rows.length }, { variant: "treatment", n: rows.length }]);
    // The mirrored rows hold what v2 predicts for them (computed in the shadow thread), not v1's answer.
    const mirrored = (await tdb.db.execute(sql`select outputs->>'label' as label from prediction_log where request_id = ${requestId} and variant = 'treatment' order by row_index`)) as unknown as { label: string }[];
    expect(mirrored.map((m) => m.label)).toEqual(f.trained[1].sample.predictions.map((p) => ("label" in p ? p.label : "")));
    await stopAbTest(f.ctx, { id: test.id });
  });
});

describe("bandit", () => {
  it("moves traffic to the arm whose feedback is better", async () => {
    const test = await startAbTest(f.ctx, { endpoint: "scorer-api", name: "bandit", kind: "bandit", variants: [{ model: "scorer/1" }, { model: "scorer/2" }], bandit: { algorithm: "thompson" }, plan });
    await started("bandit");
    await wait(async () => (await post({ instances: [row()] })).headers.get("x-gantry-variant") !== "default", "the bandit in place");
    const feedback: { request_id: string; reward: number }[] = [];
    for (let i = 0; i < 60; i++) {
      const response = await post({ instances: [row()] });
      const variant = response.headers.get("x-gantry-variant");
      feedback.push({ request_id: response.headers.get("x-request-id") ?? "", reward: variant === "treatment" ? 1 : 0 });
    }
    await server.state.predictionLog.flush();
    const sent = await fetch(`${server.base}/orgs/${f.org.slug}/v1/endpoints/scorer-api/feedback`, { method: "POST", headers: { authorization: `Bearer ${f.org.keys.predict.secret}` }, body: JSON.stringify({ feedback }) });
    expect(sent.status).toBe(200);
    // Thompson sampling on Beta(1 + s, 1 + f): the treatment (all rewards 1) now wins nearly every draw.
    await wait(async () => {
      const picks = await Promise.all(Array.from({ length: 20 }, async () => (await post({ instances: [row()] })).headers.get("x-gantry-variant")));
      return picks.filter((v) => v === "treatment").length >= 18;
    }, "traffic on the better arm");
    await stopAbTest(f.ctx, { id: test.id });
  });
});

describe("canary", () => {
  const canary = (name: string, candidate: string) => ({
    endpoint: "scorer-api",
    name,
    kind: "canary" as const,
    variants: [{ model: "scorer/1" }, { model: candidate }],
    plan,
    promoteAlias: "champion",
    canary: { steps: [20, 100], everyRequests: 15, minRequests: 10, maxErrorRate: 0.05, maxP99Ms: 5_000 },
  });
  const load = async (n: number) => {
    for (let i = 0; i < n; i++) await post({ instances: [row()] }, { "x-unit-id": `c-${i}-${Math.random()}` });
    await server.state.stats.flush();
  };

  it("a candidate that fails is rolled back by the controller, with an alert", async () => {
    await deploy(f.ctx, "scorer-api", { model: "models:/scorer/1" });
    const test = await startAbTest(f.ctx, canary("broken-canary", "scorer/3"));
    await started("canary");
    await wait(async () => (await post({ instances: [row()] })).status !== 200 || false, "the broken candidate answering");
    await load(200);
    const outcome = (await advanceCanaries(tdb.db)).find((o) => o.endpoint === "scorer-api");
    expect(outcome).toMatchObject({ action: "rollback" });
    expect(await getAbTest(f.ctx, test.id)).toMatchObject({ status: "rolled_back" });
    const [alert] = await tdb.db.select().from(alerts).where(eq(alerts.orgId, f.org.org.id));
    expect(alert?.title).toMatch(/Canary of scorer\/3 on scorer-api rolled back: error rate/);
    // Back on the champion: every request answers again.
    await wait(async () => (await post({ instances: [row()] })).status === 200, "the rollback in place");
    const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await post({ instances: [row()] })).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it("a healthy candidate reaches 100% and moves the alias", async () => {
    const test = await startAbTest(f.ctx, canary("healthy-canary", "scorer/2"));
    await started("canary");
    await wait(async () => (await post({ instances: [row()] })).headers.get("x-gantry-variant") !== "default", "the canary in place");
    for (const expected of ["advance", "promote"]) {
      // At 20% the candidate gets Binomial(200, 0.2) requests: fewer than the 15 a step needs about once in 10^9 runs.
      await load(200);
      const outcome = (await advanceCanaries(tdb.db)).find((o) => o.endpoint === "scorer-api");
      expect(outcome?.action).toBe(expected);
    }
    expect(await getAbTest(f.ctx, test.id)).toMatchObject({ status: "promoted" });
    expect((await resolveModelUri(f.ctx, "models:/scorer@champion")).version).toBe(2);
    await wait(async () => (await post({ instances: [row()] })).headers.get("x-gantry-model-version") === "2", "the promoted version answering");
  });
});
