import type { Executor } from "@gantry/db";
import { and, desc, eq, inArray, sql } from "@gantry/db";
import type { CreateRetrainPolicyInput, RetrainPolicy, RetrainRun, TrainingSpecInput } from "@gantry/schema";
import { endpoints, GantryError, productionRowsOff, registeredModels, retrainPolicies, retrainRuns, ZCreateRetrainPolicyInput, ZRetrainPolicyIdInput, ZSubmitTrainingJobInput } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { resolveDatasetVersion } from "../datasets";
import { releaseContent } from "../datasets/content-refs";
import { submitTrainingJob } from "../jobs/submit";
import { parseInput } from "../parse";
import { actingUserId, modelByName } from "../registry/lookup";
import { mutate, recordAudit } from "../services/audit";
import { endpointByName } from "../serving/lookup";
import type { ProductionRowsOutcome } from "./production-rows";
import { addProductionRows, productionRowsEvent } from "./production-rows";

/*
 * Retraining policies and the start of a run. A run starts by hand or when one of the policy's
 * monitors fires on its endpoint; it is refused (with the reason in the answer) while another run
 * of the policy is in flight or within the cool-down after the last one. Starting submits the
 * training job (the spec's dataset re-pinned to its latest version, or to a new version made of it
 * and the endpoint's labelled production rows when the policy asks for them; the challenger
 * registered under the alias `challenger`); the worker takes it from there (`advanceRetrainRuns`).
 */

type PolicyRow = typeof retrainPolicies.$inferSelect;
type RunRow = typeof retrainRuns.$inferSelect;
const ACTIVE = ["training", "gating", "rolling_out"] as const;

export const toRun = (r: RunRow): RetrainRun => ({
  id: r.id,
  trigger: r.trigger,
  status: r.status,
  jobId: r.jobId,
  challengerVersion: r.challengerVersion,
  championVersion: r.championVersion,
  abTestId: r.abTestId,
  gate: r.gate,
  timeline: r.timeline,
  createdAt: r.createdAt,
  finishedAt: r.finishedAt,
});

async function hydrate(ctx: OrgContext, rows: { policy: PolicyRow; model: string; endpoint: string }[]): Promise<RetrainPolicy[]> {
  const ids = rows.map((r) => r.policy.id);
  const runs = ids.length ? await ctx.db.select().from(retrainRuns).where(inArray(retrainRuns.policyId, ids)).orderBy(desc(retrainRuns.createdAt)) : [];
  return rows.map(({ policy: p, model, endpoint }) => ({
    id: p.id,
    name: p.name,
    model,
    endpoint,
    triggers: p.triggers,
    spec: p.spec,
    gate: p.gate,
    rollout: p.rollout,
    cooldownMinutes: p.cooldownMinutes,
    productionRows: p.productionRows,
    enabled: p.enabled,
    runs: runs.filter((r) => r.policyId === p.id).slice(0, 20).map(toRun),
  }));
}

const selectPolicies = (db: Executor) =>
  db
    .select({ policy: retrainPolicies, model: registeredModels.name, endpoint: endpoints.name })
    .from(retrainPolicies)
    .innerJoin(registeredModels, eq(registeredModels.id, retrainPolicies.modelId))
    .innerJoin(endpoints, eq(endpoints.id, retrainPolicies.endpointId));

export async function getRetrainPolicy(ctx: OrgContext, id: string): Promise<RetrainPolicy> {
  parseInput(ZRetrainPolicyIdInput, { id });
  const rows = await selectPolicies(ctx.db).where(and(eq(retrainPolicies.orgId, ctx.orgId), eq(retrainPolicies.id, id)));
  const [out] = await hydrate(ctx, rows);
  if (!out) throw new GantryError("NOT_FOUND", `No retraining policy ${id}`, { field: "id" });
  return out;
}

export async function listRetrainPolicies(ctx: OrgContext): Promise<RetrainPolicy[]> {
  return hydrate(ctx, await selectPolicies(ctx.db).where(eq(retrainPolicies.orgId, ctx.orgId)).orderBy(retrainPolicies.name));
}

export async function createRetrainPolicy(ctx: OrgContext, raw: CreateRetrainPolicyInput): Promise<RetrainPolicy> {
  const input = parseInput(ZCreateRetrainPolicyInput, raw);
  if ("register" in input.spec) throw new GantryError("INVALID_INPUT", "spec.register: the loop registers the challenger itself; leave it out", { field: "spec.register" });
  const { spec } = parseInput(ZSubmitTrainingJobInput, { spec: input.spec });
  if (input.rollout.everyMinutes === undefined && input.rollout.everyRequests === undefined) {
    throw new GantryError("INVALID_INPUT", "rollout needs everyMinutes or everyRequests (how long each canary step lasts)", { field: "rollout.everyMinutes" });
  }
  const model = await modelByName(ctx, input.model).catch((error: unknown) => {
    if (error instanceof GantryError) throw new GantryError(error.code, error.message, { field: "model" });
    throw error;
  });
  const endpoint = await endpointByName(ctx, input.endpoint);
  await resolveDatasetVersion(ctx, { name: spec.dataset.name }).catch((error: unknown) => {
    if (error instanceof GantryError) throw new GantryError(error.code, `spec.dataset: ${error.message}`, { field: "spec.dataset" });
    throw error;
  });
  const id = await mutate(
    ctx,
    (policyId: string) => ({ action: "retrain_policy.create", targetType: "retrain_policy", targetId: policyId, data: { name: input.name, model: model.name, endpoint: endpoint.name, triggers: input.triggers } }),
    async (tx) => {
      const [row] = await tx
        .insert(retrainPolicies)
        .values({ orgId: ctx.orgId, name: input.name, modelId: model.id, endpointId: endpoint.id, triggers: input.triggers, spec: input.spec, gate: input.gate, rollout: input.rollout, cooldownMinutes: input.cooldownMinutes, productionRows: input.productionRows ?? productionRowsOff, createdBy: actingUserId(ctx) })
        .returning({ id: retrainPolicies.id });
      if (!row) throw new GantryError("INTERNAL", "policy not created");
      return row.id;
    },
  );
  return getRetrainPolicy(ctx, id);
}

const event = (step: string, message: string, links?: Record<string, string | number>) => ({ at: new Date().toISOString(), step, message, ...(links ? { links } : {}) });

/**
 * Starts a run of the policy, or says why not (in flight, cooling down, disabled). One transaction
 * (the policy row locked, so two starts cannot both pass the checks): the dataset version made of
 * production rows when the policy asks for them, the job pinned to it, the run and its audit event;
 * a failure leaves none of them, and releases the new version's bytes.
 */
export async function startRetrainRun(
  ctx: OrgContext,
  policyId: string,
  trigger: { kind: string; alertId?: string; message?: string },
  options: { store?: ArtifactStore } = {},
): Promise<{ started: RetrainRun | null; reason?: string }> {
  const policy = await getRetrainPolicy(ctx, policyId);
  if (!policy.enabled) return { started: null, reason: `policy ${policy.name} is disabled` };
  const { store } = options;
  if (policy.productionRows.enabled && !store) throw new GantryError("PRECONDITION_FAILED", "This server has no artifact store configured: adding production rows makes a new dataset version", { field: "productionRows" });
  let made: string | null = null;
  try {
    return await ctx.db.transaction(async (tx) => {
      const c: OrgContext = { ...ctx, db: tx };
      await tx.select({ id: retrainPolicies.id }).from(retrainPolicies).where(and(eq(retrainPolicies.orgId, ctx.orgId), eq(retrainPolicies.id, policyId))).for("update");
      const [last] = await tx.select().from(retrainRuns).where(eq(retrainRuns.policyId, policyId)).orderBy(desc(retrainRuns.createdAt)).limit(1);
      if (last && (ACTIVE as readonly string[]).includes(last.status)) return { started: null, reason: `run ${last.id} of ${policy.name} is still ${last.status}` };
      if (last && Date.now() - last.createdAt.getTime() < policy.cooldownMinutes * 60_000) {
        return { started: null, reason: `cooling down: the last run of ${policy.name} started ${Math.round((Date.now() - last.createdAt.getTime()) / 60_000)} min ago (cool-down ${policy.cooldownMinutes} min)` };
      }
      const template = policy.spec as TrainingSpecInput;
      const events = [event("trigger", trigger.message ?? `started: ${trigger.kind}`, trigger.alertId ? { alert: trigger.alertId } : undefined)];
      let dataset: { name: string; version?: number } = { name: template.dataset.name };
      let production: ProductionRowsOutcome | null = null;
      if (policy.productionRows.enabled && store) {
        production = await addProductionRows(c, store, policy);
        if (production.created) made = production.version?.sha256 ?? null;
        // Pinned explicitly: the version just made (or the one it started from), never "latest" again.
        dataset = { name: dataset.name, version: (production.version ?? production.base).version };
        const said = productionRowsEvent(production, policy.productionRows.days);
        events.push(event("data", said.message, said.links));
      }
      const spec = { ...template, dataset, register: { model: policy.model, alias: "challenger" } };
      const job = await submitTrainingJob(c, spec as TrainingSpecInput);
      events.push(event("training", `training job submitted on ${dataset.name} ${dataset.version === undefined ? "(latest version)" : `v${dataset.version}`}`, { job: job.id }));
      const [row] = await tx
        .insert(retrainRuns)
        .values({ orgId: ctx.orgId, policyId, trigger: trigger.kind, alertId: trigger.alertId ?? null, status: "training", jobId: job.id, timeline: events, productionRows: production?.record ?? null })
        .returning();
      if (!row) throw new GantryError("INTERNAL", "run not created");
      await recordAudit(tx, ctx.orgId, ctx.actor, {
        action: "retrain.start",
        targetType: "retrain_run",
        targetId: row.id,
        data: { policy: policy.name, trigger: trigger.kind, job: job.id, ...(production ? { productionRows: production.added, dataset: `${dataset.name}@${dataset.version}` } : {}) },
      });
      return { started: toRun(row) };
    });
  } catch (error) {
    // The version row rolled back with the transaction; its bytes were stored before it.
    if (made && store) await releaseContent(ctx.db, store, made).catch(() => false);
    throw error;
  }
}

/** An alert fired on an endpoint: every enabled policy of that endpoint that listens to its source starts a run (if it may). */
export async function onAlertFired(db: Executor, alert: { orgId: string; endpointId: string; source: string; alertId: string; title: string }, options: { store?: ArtifactStore } = {}): Promise<string[]> {
  const ctx: OrgContext = { db, orgId: alert.orgId, role: "owner", actor: { type: "system", label: "retraining policy" } };
  const policies = await db
    .select({ id: retrainPolicies.id })
    .from(retrainPolicies)
    .where(and(eq(retrainPolicies.orgId, alert.orgId), eq(retrainPolicies.endpointId, alert.endpointId), eq(retrainPolicies.enabled, true), sql`${retrainPolicies.triggers} ? ${alert.source}`));
  const started: string[] = [];
  for (const p of policies) {
    const { started: run } = await startRetrainRun(ctx, p.id, { kind: alert.source, alertId: alert.alertId, message: `alert: ${alert.title}` }, options);
    if (run) started.push(run.id);
  }
  return started;
}
