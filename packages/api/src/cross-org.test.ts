import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";
import { jobLogs, jobs, schedules } from "@gantry/schema";

import { createFsArtifactStore } from "./artifacts";
import { createDatasetVersion } from "./datasets";
import { registerVersionFromRun, setAlias, setModelTag, setVersionTag } from "./registry";
import { startAbTest } from "./abtests";
import { createWebhook, raiseAlert } from "./alerts";
import { createMonitor } from "./monitoring";
import { createRetrainPolicy } from "./retraining";
import { createEndpoint, deploy } from "./serving";
import type { CrossOrgCase, OrgFixture } from "./testing";
import { allProcedures, assertCrossOrgDenied, createFakeModelRun, createOrgFixture, expectDenied } from "./testing";

/** Org A's dataset (one version, made in beforeAll). */
const VICTIM_DATASET = "victim-dataset";

/**
 * Every org-scoped procedure, aimed at org A by org B. A procedure added without a case here
 * fails the coverage test below.
 */
const cases: Record<string, CrossOrgCase> = {
  "org.current": (c) => c.org.current(),
  "org.rename": (c) => c.org.rename({ name: "Taken over" }),
  "member.list": (c) => c.member.list(),
  "member.changeRole": (c, a) => c.member.changeRole({ userId: a.users.member.id, role: "admin" }),
  "member.remove": (c, a) => c.member.remove({ userId: a.users.member.id }),
  "member.leave": (c) => c.member.leave(),
  "invitation.create": (c) => c.invitation.create({ role: "admin" }),
  "invitation.list": (c) => c.invitation.list(),
  "invitation.revoke": (c, a) => c.invitation.revoke({ id: a.invitation.invitation.id }),
  "apiKey.list": (c) => c.apiKey.list(),
  "apiKey.create": (c) => c.apiKey.create({ name: "intruder", scopes: ["read"] }),
  "apiKey.revoke": (c, a) => c.apiKey.revoke({ id: a.keys.read.key.id }),
  "audit.list": (c) => c.audit.list({}),
  "experiment.list": (c) => c.experiment.list({ viewType: "ALL" }),
  "experiment.get": (c, a) => c.experiment.get({ experimentId: a.experiment.id }),
  "experiment.keys": (c, a) => c.experiment.keys({ experimentId: a.experiment.id }),
  "experiment.create": (c) => c.experiment.create({ name: "intruder experiment" }),
  "experiment.rename": (c, a) => c.experiment.rename({ experimentId: a.experiment.id, name: "taken" }),
  "experiment.setDescription": (c, a) => c.experiment.setDescription({ experimentId: a.experiment.id, description: "x" }),
  "experiment.delete": (c, a) => c.experiment.delete({ experimentId: a.experiment.id }),
  "experiment.restore": (c, a) => c.experiment.restore({ experimentId: a.experiment.id }),
  "experiment.setTag": (c, a) => c.experiment.setTag({ experimentId: a.experiment.id, tag: { key: "k", value: "v" } }),
  "experiment.deleteTag": (c, a) => c.experiment.deleteTag({ experimentId: a.experiment.id, key: "k" }),
  "run.search": (c, a) => c.run.search({ experimentIds: [a.experiment.id], viewType: "ALL" }),
  "run.get": (c, a) => c.run.get({ runId: a.run.info.id }),
  "run.compare": (c, a) => c.run.compare({ runIds: [a.run.info.id] }),
  "run.metricChart": (c, a) => c.run.metricChart({ runId: a.run.info.id, key: "loss" }),
  "run.metricHistory": (c, a) => c.run.metricHistory({ runId: a.run.info.id, key: "loss" }),
  "run.artifacts": (c, a) => c.run.artifacts({ runId: a.run.info.id }),
  "run.create": (c, a) => c.run.create({ experimentId: a.experiment.id }),
  "run.update": (c, a) => c.run.update({ runId: a.run.info.id, status: "KILLED" }),
  "run.logBatch": (c, a) => c.run.logBatch({ runId: a.run.info.id, metrics: [{ key: "loss", value: 9, timestamp: 9 }] }),
  "run.setTag": (c, a) => c.run.setTag({ runId: a.run.info.id, tag: { key: "team", value: "pwned" } }),
  "run.deleteTag": (c, a) => c.run.deleteTag({ runId: a.run.info.id, key: "team" }),
  "run.delete": (c, a) => c.run.delete({ runId: a.run.info.id }),
  "run.restore": (c, a) => c.run.restore({ runId: a.run.info.id }),
  "dataset.list": (c) => c.dataset.list(),
  "dataset.get": (c) => c.dataset.get({ name: VICTIM_DATASET }),
  "dataset.version": (c) => c.dataset.version({ name: VICTIM_DATASET, version: 1 }),
  "dataset.preview": (c) => c.dataset.preview({ name: VICTIM_DATASET, version: "latest" }),
  "dataset.runs": (c) => c.dataset.runs({ name: VICTIM_DATASET, version: 1 }),
  "dataset.setDescription": (c) => c.dataset.setDescription({ name: VICTIM_DATASET, description: "taken over" }),
  "dataset.delete": (c) => c.dataset.delete({ name: VICTIM_DATASET }),
  "job.list": (c) => c.job.list({}),
  "job.get": (c) => c.job.get({ jobId: victimJobId }),
  "job.logs": (c) => c.job.logs({ jobId: victimJobId }),
  "job.submitTraining": (c) => c.job.submitTraining({ spec: { dataset: { name: VICTIM_DATASET }, target: "label" } }),
  "job.cancel": (c) => c.job.cancel({ jobId: victimQueuedJobId }),
  "job.retry": (c) => c.job.retry({ jobId: victimJobId }),
  "job.submitSweep": (c) =>
    c.job.submitSweep({ config: { base: { dataset: { name: VICTIM_DATASET }, target: "label" }, parameters: { learningRate: { values: [0.1] } }, metric: "test_accuracy" } }),
  "job.sweep": (c) => c.job.sweep({ jobId: victimJobId }),
  "schedule.list": (c) => c.schedule.list(),
  "schedule.get": (c) => c.schedule.get({ scheduleId: victimScheduleId }),
  "schedule.create": (c) => c.schedule.create({ name: "intruder", cron: "0 3 * * 1", spec: { dataset: { name: VICTIM_DATASET }, target: "label" } }),
  "schedule.update": (c) => c.schedule.update({ scheduleId: victimScheduleId, cron: "* * * * *" }),
  "schedule.pause": (c) => c.schedule.pause({ scheduleId: victimScheduleId }),
  "schedule.resume": (c) => c.schedule.resume({ scheduleId: victimScheduleId }),
  "schedule.delete": (c) => c.schedule.delete({ scheduleId: victimScheduleId }),
  "schedule.runNow": (c) => c.schedule.runNow({ scheduleId: victimScheduleId }),
  "model.list": (c) => c.model.list(),
  "model.get": (c) => c.model.get({ name: VICTIM_MODEL }),
  "model.create": (c) => c.model.create({ name: VICTIM_MODEL }),
  "model.update": (c) => c.model.update({ name: VICTIM_MODEL, description: "taken over" }),
  "model.rename": (c) => c.model.rename({ name: VICTIM_MODEL, newName: "taken-over" }),
  "model.delete": (c) => c.model.delete({ name: VICTIM_MODEL }),
  "model.setTag": (c) => c.model.setTag({ name: VICTIM_MODEL, tag: { key: "owner", value: "intruder" } }),
  "model.deleteTag": (c) => c.model.deleteTag({ name: VICTIM_MODEL, key: "team" }),
  "model.versions": (c) => c.model.versions({ name: VICTIM_MODEL }),
  "model.version": (c) => c.model.version({ name: VICTIM_MODEL, version: 1 }),
  "model.register": (c) => c.model.register({ name: VICTIM_MODEL, runId: victimModelRunId }),
  "model.updateVersion": (c) => c.model.updateVersion({ name: VICTIM_MODEL, version: 1, archived: true }),
  "model.setVersionTag": (c) => c.model.setVersionTag({ name: VICTIM_MODEL, version: 1, tag: { key: "owner", value: "intruder" } }),
  "model.deleteVersionTag": (c) => c.model.deleteVersionTag({ name: VICTIM_MODEL, version: 1, key: "reviewed" }),
  "model.deleteVersion": (c) => c.model.deleteVersion({ name: VICTIM_MODEL, version: 1 }),
  "model.setAlias": (c) => c.model.setAlias({ name: VICTIM_MODEL, alias: "champion", version: 1 }),
  "model.deleteAlias": (c) => c.model.deleteAlias({ name: VICTIM_MODEL, alias: "champion" }),
  "model.aliasHistory": (c) => c.model.aliasHistory({ name: VICTIM_MODEL }),
  "model.resolve": (c) => c.model.resolve({ uri: `models:/${VICTIM_MODEL}@champion` }),
  "model.compare": (c) => c.model.compare({ name: VICTIM_MODEL, versions: [1] }),
  "model.lineage": (c) => c.model.lineage({ name: VICTIM_MODEL, version: 1 }),
  "endpoint.list": (c) => c.endpoint.list(),
  "endpoint.get": (c) => c.endpoint.get({ name: VICTIM_ENDPOINT }),
  "endpoint.traffic": (c) => c.endpoint.traffic({ name: VICTIM_ENDPOINT }),
  "endpoint.create": (c) => c.endpoint.create({ name: VICTIM_ENDPOINT }),
  "endpoint.update": (c) => c.endpoint.update({ name: VICTIM_ENDPOINT, description: "taken over", auth: "public" }),
  "endpoint.delete": (c) => c.endpoint.delete({ name: VICTIM_ENDPOINT }),
  "endpoint.deploy": (c) => c.endpoint.deploy({ name: VICTIM_ENDPOINT, model: `models:/${VICTIM_MODEL}@champion` }),
  "endpoint.rollback": (c) => c.endpoint.rollback({ name: VICTIM_ENDPOINT, revision: 1 }),
  "endpoint.pause": (c) => c.endpoint.pause({ name: VICTIM_ENDPOINT }),
  "endpoint.resume": (c) => c.endpoint.resume({ name: VICTIM_ENDPOINT }),
  "abtest.list": (c) => c.abtest.list({}),
  "abtest.get": (c) => c.abtest.get({ id: victimTestId }),
  "abtest.results": (c) => c.abtest.results({ id: victimTestId }),
  "abtest.start": (c) =>
    c.abtest.start({ endpoint: VICTIM_AB_ENDPOINT, name: "intruder-test", kind: "split", variants: [{ model: `${VICTIM_MODEL}/1`, weight: 50 }, { model: `${VICTIM_OTHER_MODEL}/1`, weight: 50 }], plan: { baseline: 0.1, minimumDetectableEffect: 0.1 } }),
  "abtest.promote": (c) => c.abtest.promote({ id: victimTestId, variant: "treatment" }),
  "abtest.stop": (c) => c.abtest.stop({ id: victimTestId }),
  "abtest.rollback": (c) => c.abtest.rollback({ id: victimTestId }),
  "monitor.list": (c) => c.monitor.list({}),
  "monitor.get": (c) => c.monitor.get({ id: victimMonitorId }),
  "monitor.create": (c) => c.monitor.create({ endpoint: VICTIM_ENDPOINT, name: "intruder-monitor", kind: "data_drift" }),
  "monitor.update": (c) => c.monitor.update({ id: victimMonitorId, enabled: false }),
  "monitor.delete": (c) => c.monitor.delete({ id: victimMonitorId }),
  "monitor.run": (c) => c.monitor.run({ id: victimMonitorId }),
  "webhook.list": (c) => c.webhook.list(),
  "webhook.create": (c) => c.webhook.create({ name: "intruder-hook", url: "http://127.0.0.1:9/x" }),
  "webhook.delete": (c) => c.webhook.delete({ id: victimWebhookId }),
  "webhook.deliveries": (c) => c.webhook.deliveries({ id: victimWebhookId }),
  "retrain.list": (c) => c.retrain.list(),
  "retrain.get": (c) => c.retrain.get({ id: victimPolicyId }),
  "retrain.create": (c) => c.retrain.create({ name: "intruder-policy", model: VICTIM_MODEL, endpoint: VICTIM_ENDPOINT, spec: { dataset: { name: VICTIM_DATASET }, target: "label" }, gate: { metric: "test_accuracy" } }),
  "retrain.run": (c) => c.retrain.run({ id: victimPolicyId }),
  "alert.list": (c) => c.alert.list({}),
  "alert.acknowledge": (c) => c.alert.acknowledge({ id: victimAlertId }),
  "endpoint.tryPredict": (c) => c.endpoint.tryPredict({ name: VICTIM_ENDPOINT, instances: [{ victim_input: 1 }] }),
};

/** Org A's endpoint: revisions 1 (via `champion`) and 2, both on the victim model's version 1. */
const VICTIM_ENDPOINT = "victim-endpoint";

/** Org A's registered model: version 1 from a FINISHED run with a model artifact, alias `champion`. */
const VICTIM_MODEL = "victim-model";
let victimModelRunId = "";

/** Org A's A/B test (a 50/50 split on its own endpoint, against a second model of the same signature) and an alert. */
const VICTIM_AB_ENDPOINT = "victim-ab";
const VICTIM_OTHER_MODEL = "victim-other";
let victimTestId = "";
let victimAlertId = "";
let victimMonitorId = "";
let victimWebhookId = "";
let victimPolicyId = "";

/** Org A's jobs: a failed one (retry would act on it) and a queued one (cancel would). */
let victimJobId = "";
let victimQueuedJobId = "";
/** Org A's schedule (nothing due: the tick is not run here). */
let victimScheduleId = "";

/** Procedures that act on no org's data, each with the reason. */
const notOrgScoped: Record<string, string> = {
  "auth.signUp": "creates a user; no org involved",
  "auth.whoami": "describes the caller only",
  "org.mine": "lists the caller's own memberships",
  "org.create": "creates a new org owned by the caller",
  "invitation.preview": "needs the secret one-time token",
  "invitation.accept": "needs the secret one-time token; it is the way in",
};

/** Mutations a viewer may do (everything else that writes is refused to viewers). */
const viewerMayDo = new Set(["member.leave"]);

const tdb = await createTestDatabase();
let a: OrgFixture;
let b: OrgFixture;
beforeAll(async () => {
  a = await createOrgFixture(tdb.db, "org-a");
  b = await createOrgFixture(tdb.db, "org-b");
  const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-cross-org-")));
  const owner = { db: tdb.db, orgId: a.org.id, actor: { type: "user" as const, userId: a.users.owner.id, label: "owner" }, role: "owner" as const };
  const dataset = await createDatasetVersion(owner, store, { name: VICTIM_DATASET, body: Readable.from([Buffer.from("secret_column,label\nvictim value,1\n")]), maxBytes: 1024 });
  a.secrets.push(dataset.version.id, dataset.version.sha256, "secret_column", "victim value");
  const [job] = await tdb.db
    .insert(jobs)
    .values({ orgId: a.org.id, kind: "train", status: "failed", error: "victim's failure", spec: { dataset: { name: VICTIM_DATASET, version: 1 }, target: "label" } })
    .returning();
  victimJobId = job?.id ?? "";
  const [queued] = await tdb.db
    .insert(jobs)
    .values({ orgId: a.org.id, kind: "train", status: "queued", spec: { dataset: { name: VICTIM_DATASET, version: 1 }, target: "label" } })
    .returning();
  victimQueuedJobId = queued?.id ?? "";
  a.secrets.push(victimQueuedJobId);
  await tdb.db.insert(jobLogs).values({ orgId: a.org.id, jobId: victimJobId, message: "victim's log line" });
  a.secrets.push(victimJobId, "victim's failure", "victim's log line");
  const [schedule] = await tdb.db
    .insert(schedules)
    .values({ orgId: a.org.id, name: "victim's nightly", cron: "0 3 * * *", spec: { dataset: { name: VICTIM_DATASET }, target: "label" }, nextFireAt: new Date(Date.now() + 86_400_000) })
    .returning();
  victimScheduleId = schedule?.id ?? "";
  a.secrets.push(victimScheduleId, "victim's nightly");
  victimModelRunId = await createFakeModelRun(owner, store, { experimentId: a.experiment.id, metrics: { victim_metric: 0.77 }, signature: { inputs: [{ name: "victim_input", type: "numeric" }] } });
  const version = await registerVersionFromRun(owner, store, { name: VICTIM_MODEL, runId: victimModelRunId, description: "victim's model" });
  await setModelTag(owner, VICTIM_MODEL, { key: "team", value: "victims" });
  await setVersionTag(owner, { name: VICTIM_MODEL, version: 1 }, { key: "reviewed", value: "yes" });
  await setAlias(owner, { name: VICTIM_MODEL, alias: "champion", version: 1, reason: "victim's reason" });
  a.secrets.push(victimModelRunId, version.id, version.pipelineSha256, "victim_metric", "victim_input", "victim's model", "victim's reason");
  const endpoint = await createEndpoint(owner, { name: VICTIM_ENDPOINT, description: "victim's endpoint" });
  const deployed = await deploy(owner, VICTIM_ENDPOINT, { model: `models:/${VICTIM_MODEL}@champion`, reason: "victim's deploy" });
  await deploy(owner, VICTIM_ENDPOINT, { model: { model: VICTIM_MODEL, version: 1 } });
  a.secrets.push(endpoint.id, deployed.revisions[0]?.id ?? "missing revision", "victim's endpoint", "victim's deploy");
  const otherRunId = await createFakeModelRun(owner, store, { experimentId: a.experiment.id, signature: { inputs: [{ name: "victim_input", type: "numeric" }] } });
  await registerVersionFromRun(owner, store, { name: VICTIM_OTHER_MODEL, runId: otherRunId });
  await createEndpoint(owner, { name: VICTIM_AB_ENDPOINT });
  await deploy(owner, VICTIM_AB_ENDPOINT, { model: { model: VICTIM_MODEL, version: 1 } });
  const test = await startAbTest(owner, {
    endpoint: VICTIM_AB_ENDPOINT,
    name: "victim-test",
    hypothesis: "victim's hypothesis",
    kind: "split",
    variants: [{ model: `${VICTIM_MODEL}/1`, weight: 50 }, { model: `${VICTIM_OTHER_MODEL}/1`, weight: 50 }],
    plan: { baseline: 0.1, minimumDetectableEffect: 0.1 },
  });
  victimTestId = test.id;
  victimAlertId = await raiseAlert(tdb.db, { orgId: a.org.id, endpointId: null, source: "canary", fingerprint: "victim", severity: "critical", title: "victim's alert", evidence: {} });
  a.secrets.push(test.id, "victim's hypothesis", victimAlertId, "victim's alert");
  const monitor = await createMonitor(owner, { endpoint: VICTIM_ENDPOINT, name: "victim-monitor", kind: "service", config: { maxP99Ms: 123, windowMinutes: 60, everyMinutes: 5, minRows: 100, driftShare: 0.5, distanceThreshold: 0.1 } });
  victimMonitorId = monitor.id;
  const hook = await createWebhook(owner, { name: "victim-hook", url: "https://victim.example/hook" });
  victimWebhookId = hook.id;
  a.secrets.push(hook.id, hook.secret, "victim.example");
  const policy = await createRetrainPolicy(owner, { name: "victim-policy", model: VICTIM_MODEL, endpoint: VICTIM_ENDPOINT, spec: { dataset: { name: VICTIM_DATASET }, target: "label" }, gate: { metric: "test_accuracy" }, rollout: { steps: [50, 100], everyMinutes: 10, maxErrorRate: 0.05, maxP99Ms: 500, minRequests: 20 } });
  victimPolicyId = policy.id;
  a.secrets.push(policy.id, "victim-policy");
  a.secrets.push(monitor.id, "victim-monitor");
});
afterAll(() => tdb.drop());

describe("cross-org access", () => {
  it("has a case for every org-scoped procedure", () => {
    const uncovered = allProcedures()
      .map((p) => p.path)
      .filter((path) => !(path in cases) && !(path in notOrgScoped));
    expect(uncovered).toEqual([]);
  });

  it.each(Object.keys(cases))("%s: org B gets NOT_FOUND/FORBIDDEN or none of org A's data", async (path) => {
    const call = cases[path];
    if (!call) throw new Error(path);
    await assertCrossOrgDenied(tdb.db, a, b, call);
  });

  it("alert.list for another org's endpoint is NOT_FOUND", async () => {
    await expectDenied(b.as("owner").alert.list({ endpoint: VICTIM_ENDPOINT }), ["NOT_FOUND"]);
  });

  it("left org A untouched", async () => {
    expect((await a.as("owner").org.current()).name).toBe("Org org-a");
    const members = await a.as("owner").member.list();
    expect(members.map((m) => [m.email, m.role]).sort()).toEqual(Object.entries(a.users).map(([role, u]) => [u.email, role]).sort());
    const keys = await a.as("owner").apiKey.list();
    expect(keys.every((k) => k.revokedAt === null)).toBe(true);
    const invitations = await a.as("owner").invitation.list();
    expect(invitations.map((i) => i.status)).toEqual(["pending"]);
    const run = await a.as("owner").run.get({ runId: a.run.info.id });
    expect(run.info).toMatchObject({ status: "RUNNING", lifecycleStage: "active" });
    expect(run.data.tags).toContainEqual({ key: "team", value: "org-a" });
    expect(run.data.metrics).toEqual([{ key: "loss", value: 0.5, timestamp: 1, step: 0 }]);
    const experiment = await a.as("owner").experiment.get({ experimentId: a.experiment.id });
    expect(experiment).toMatchObject({ name: "experiment of org-a", lifecycleStage: "active", tags: [], description: null });
    expect(await a.as("owner").dataset.get({ name: VICTIM_DATASET })).toMatchObject({ description: null, versionCount: 1 });
    expect(await a.as("owner").job.get({ jobId: victimJobId })).toMatchObject({ status: "failed", cancelRequested: false });
    expect(await a.as("owner").job.get({ jobId: victimQueuedJobId })).toMatchObject({ status: "queued", cancelRequested: false });
    expect((await a.as("owner").job.list({})).items.map((j) => j.id)).toEqual([victimQueuedJobId, victimJobId]);
    expect(await a.as("owner").schedule.get({ scheduleId: victimScheduleId })).toMatchObject({ paused: false, cron: "0 3 * * *", lastJobId: null, recentJobs: [] });
    expect(await a.as("owner").model.get({ name: VICTIM_MODEL })).toMatchObject({ description: null, tags: { team: "victims" }, versionCount: 1, aliases: [{ alias: "champion", version: 1 }] });
    expect(await a.as("owner").model.version({ name: VICTIM_MODEL, version: 1 })).toMatchObject({ archived: false, tags: { reviewed: "yes" }, aliases: ["champion"] });
    expect(await a.as("owner").model.aliasHistory({ name: VICTIM_MODEL })).toHaveLength(1);
    expect(await a.as("owner").endpoint.get({ name: VICTIM_ENDPOINT })).toMatchObject({ description: "victim's endpoint", auth: "key", status: "active", revision: 2, version: 1 });
    expect(await a.as("owner").abtest.get({ id: victimTestId })).toMatchObject({ status: "running", decision: null });
    expect(await a.as("owner").alert.list({})).toMatchObject([{ id: victimAlertId, acknowledgedAt: null }]);
    expect(await a.as("owner").monitor.get({ id: victimMonitorId })).toMatchObject({ enabled: true, recent: [] });
    expect(await a.as("owner").webhook.list()).toMatchObject([{ id: victimWebhookId, enabled: true }]);
    expect(await a.as("owner").retrain.get({ id: victimPolicyId })).toMatchObject({ enabled: true, runs: [] });
  });
});

describe("viewers and read-only keys", () => {
  const mutations = () => allProcedures().filter((p) => p.type === "mutation" && p.path in cases && !viewerMayDo.has(p.path));

  it("cannot mutate anything", async () => {
    expect(mutations().length).toBeGreaterThan(5);
    for (const { path } of mutations()) {
      const call = cases[path];
      if (!call) throw new Error(path);
      await expectDenied(call(a.as("viewer"), a), ["FORBIDDEN"]);
      await expectDenied(call(a.withKey("read"), a), ["FORBIDDEN"]);
    }
  });

  it("a predict-only key cannot even read org data", async () => {
    await expectDenied(a.withKey("predict").member.list(), ["FORBIDDEN"]);
  });
});
