import { and, eq } from "@gantry/db";
import { sampleSizeForMeans, sampleSizeForProportions } from "@gantry/ml/stats";
import type { AbTest, AbTestVariant, StartAbTestInput, TrafficPolicy } from "@gantry/schema";
import { abTests, GantryError, newId, ZStartAbTestInput } from "@gantry/schema";
import type { z } from "zod";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { actingUserId } from "../registry/lookup";
import { recordAudit } from "../services/audit";
import type { Resolved } from "../serving/deploy";
import { deployAudit, resolveTarget, writeRevision } from "../serving/deploy";
import { endpointByName } from "../serving/lookup";
import { getAbTest } from "./read";

/*
 * Starting an A/B test: check the plan, resolve every variant to a concrete version (pinned, as a
 * deploy does), refuse variants that do not share the control's signature, compute the planned
 * sample, then write the test and the endpoint's new revision (its traffic policy) in one
 * transaction under the endpoint lock.
 */

type Input = z.output<typeof ZStartAbTestInput>;

const bad = (message: string, field: string) => new GantryError("INVALID_INPUT", message, { field });
const asUri = (model: string) => (model.startsWith("models:/") ? model : `models:/${model}`);

function variantNames(input: Input): string[] {
  const names = input.variants.map((v, i) => v.name ?? (i === 0 ? "control" : i === 1 ? "treatment" : `treatment-${i}`));
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) throw bad(`variants[${i}].name '${n}' is used twice`, `variants[${i}].name`);
  });
  return names;
}

function checkShape(input: Input): void {
  if (input.kind === "split") {
    input.variants.forEach((v, i) => {
      if (v.weight === undefined) throw bad(`variants[${i}].weight is required for a split (percent of traffic)`, `variants[${i}].weight`);
    });
    const sum = input.variants.reduce((a, v) => a + (v.weight ?? 0), 0);
    if (Math.abs(sum - 100) > 1e-9) throw bad(`variant weights must sum to 100, got ${sum}`, "variants");
  }
  if ((input.kind === "canary" || input.kind === "shadow") && input.variants.length !== 2) {
    throw bad(`a ${input.kind} has exactly two variants (the control, then the candidate), got ${input.variants.length}`, "variants");
  }
  if (input.kind === "canary") {
    const steps = input.canary?.steps ?? [5, 25, 50, 100];
    if (steps.some((s, i) => i > 0 && s <= (steps[i - 1] ?? 0))) throw bad("canary.steps must increase (e.g. 5, 25, 50, 100)", "canary.steps");
    if (steps[steps.length - 1] !== 100) throw bad("canary.steps must end at 100 (the candidate takes all traffic before promotion)", "canary.steps");
    if (!input.canary?.everyMinutes && !input.canary?.everyRequests) throw bad("canary needs everyMinutes or everyRequests (how long each step lasts)", "canary.everyMinutes");
  }
}

const signatureKey = (r: Resolved) =>
  JSON.stringify(
    [...(r.version.signature?.inputs ?? [])].map((i) => [i.name, i.type]).sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
const inputList = (r: Resolved) => (r.version.signature?.inputs ?? []).map((i) => i.name).join(", ") || "no signature";

function policyOf(input: Input, id: string, variants: AbTestVariant[]): TrafficPolicy {
  const common = { abTestId: id, salt: id, ...(input.stickyKey ? { stickyKey: input.stickyKey } : {}) };
  if (input.kind === "split") return { kind: "split", variants, ...common };
  if (input.kind === "bandit") return { kind: "bandit", variants: variants.map((v) => ({ ...v, weight: 100 / variants.length })), algorithm: input.bandit?.algorithm ?? "thompson", epsilon: input.bandit?.epsilon ?? 0.1, ...common };
  const [control, candidate] = variants as [AbTestVariant, AbTestVariant];
  if (input.kind === "shadow") {
    const mirror = input.shadow?.mirrorPercent ?? 100;
    return { kind: "shadow", variants: [{ ...control, weight: 100 }, { ...candidate, weight: mirror }], mirrorPercent: mirror, ...common };
  }
  const c = input.canary ?? { steps: [5, 25, 50, 100], maxErrorRate: 0.05, maxP99Ms: 250, minRequests: 50 };
  const first = c.steps[0] ?? 100;
  return {
    kind: "canary",
    variants: [{ ...control, weight: 100 - first }, { ...candidate, weight: first }],
    steps: c.steps,
    step: 0,
    everyMinutes: c.everyMinutes,
    everyRequests: c.everyRequests,
    guards: { maxErrorRate: c.maxErrorRate, maxP99Ms: c.maxP99Ms, maxRewardDrop: c.maxRewardDrop, minRequests: c.minRequests },
    promoteAlias: input.promoteAlias,
    ...common,
  };
}

function plannedUnits(input: Input): number {
  const { baseline, minimumDetectableEffect, alpha, power } = input.plan;
  if (input.primaryMetric === "conversion" || input.primaryMetric === "accuracy") {
    if (baseline >= 1) throw bad("plan.baseline is a rate for this metric: between 0 and 1", "plan.baseline");
    return sampleSizeForProportions({ baseline, minimumDetectableEffect, alpha, power });
  }
  return sampleSizeForMeans({ std: baseline, minimumDetectableEffect, alpha, power });
}

export async function startAbTest(ctx: OrgContext, raw: StartAbTestInput): Promise<AbTest> {
  const input = parseInput(ZStartAbTestInput, raw);
  checkShape(input);
  const names = variantNames(input);
  const unitsPerVariant = plannedUnits(input);
  const id = newId();
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const endpoint = await endpointByName(c, input.endpoint, { forUpdate: true });
    const [running] = await tx.select({ name: abTests.name }).from(abTests).where(and(eq(abTests.endpointId, endpoint.id), eq(abTests.status, "running")));
    if (running) throw new GantryError("CONFLICT", `Endpoint '${endpoint.name}' already runs A/B test '${running.name}': stop or promote it first`, { field: "endpoint" });
    const [taken] = await tx.select({ id: abTests.id }).from(abTests).where(and(eq(abTests.orgId, ctx.orgId), eq(abTests.name, input.name)));
    if (taken) throw new GantryError("CONFLICT", `An A/B test named '${input.name}' exists already`, { field: "name" });

    const resolved: Resolved[] = [];
    for (const [i, v] of input.variants.entries()) {
      const r = await resolveTarget(c, asUri(v.model)).catch((error: unknown) => {
        if (error instanceof GantryError) throw new GantryError(error.code, `variants[${i}].model: ${error.message}`, { field: `variants[${i}].model` });
        throw error;
      });
      const dup = resolved.findIndex((p) => p.version.id === r.version.id);
      if (dup >= 0) throw bad(`variants[${i}].model is the same version as variants[${dup}] (${r.model.name}/${r.version.version})`, `variants[${i}].model`);
      const control = resolved[0];
      if (control && signatureKey(r) !== signatureKey(control)) {
        throw bad(
          `variants[${i}].model: ${r.model.name}/${r.version.version} takes (${inputList(r)}) but the control ${control.model.name}/${control.version.version} takes (${inputList(control)}): the variants of a test must share a signature`,
          `variants[${i}].model`,
        );
      }
      resolved.push(r);
    }
    const variants: AbTestVariant[] = resolved.map((r, i) => ({
      name: names[i] as string,
      modelVersionId: r.version.id,
      model: r.model.name,
      version: r.version.version,
      ...(r.via ? { via: r.via } : {}),
      weight: input.variants[i]?.weight ?? 0,
    }));
    const policy = policyOf(input, id, variants);
    await tx.insert(abTests).values({
      id,
      orgId: ctx.orgId,
      endpointId: endpoint.id,
      name: input.name,
      hypothesis: input.hypothesis ?? null,
      kind: input.kind,
      // What each variant got at the start (a canary's weights then move step by step).
      variants: policy.variants,
      primaryMetric: input.primaryMetric,
      guardrails: input.guardrails,
      plan: { ...input.plan, unitsPerVariant },
      promoteAlias: input.promoteAlias ?? null,
      createdBy: actingUserId(ctx),
      createdByLabel: ctx.actor.label,
    });
    const revision = await writeRevision(c, endpoint, { policy, reason: `A/B test '${input.name}' started (${input.kind})` });
    await recordAudit(tx, ctx.orgId, ctx.actor, { action: "abtest.start", targetType: "ab_test", targetId: id, data: { name: input.name, endpoint: endpoint.name, kind: input.kind, variants: variants.map((v) => `${v.name}=${v.model}/${v.version}`), unitsPerVariant } });
    await recordAudit(tx, ctx.orgId, ctx.actor, deployAudit(endpoint.name, revision));
  });
  return getAbTest(ctx, id);
}
