import { eq, sql } from "@gantry/db";
import type { AbTest, AbTestStatus } from "@gantry/schema";
import { abTests, deploymentRevisions, endpoints, GantryError, modelVersions, ZAbTestDecisionInput } from "@gantry/schema";
import type { z } from "zod";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { setAlias } from "../registry";
import { actingUserId } from "../registry/lookup";
import { recordAudit } from "../services/audit";
import { deployAudit, writeRevision } from "../serving/deploy";
import { endpointByName } from "../serving/lookup";
import { abTestRow, getAbTest } from "./read";

/*
 * Ending a test: one variant takes all the traffic (a `single` revision), the test records its
 * outcome, who decided and why, all in one transaction under the test and endpoint locks.
 * Promote: the chosen variant (default: the best) wins and the test's alias moves to it. Stop:
 * the control keeps the traffic. Roll back: the same, by the canary guard (or a person), marked so.
 */

type Decision = { status: Exclude<AbTestStatus, "running">; variant: string; reason: string; moveAlias: boolean };

async function endTest(ctx: OrgContext, id: string, decide: (test: AbTest) => Promise<Decision> | Decision): Promise<AbTest> {
  const before = await getAbTest(ctx, id);
  if (before.status !== "running") throw new GantryError("PRECONDITION_FAILED", `A/B test '${before.name}' is ${before.status}, not running`, { field: "id" });
  // Deciding may read results (a heavy query): before the locks, then checked again under them.
  const decision = await decide(before);
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const { test, endpoint: endpointName } = await abTestRow(c, id, { forUpdate: true });
    if (test.status !== "running") throw new GantryError("PRECONDITION_FAILED", `A/B test '${test.name}' is ${test.status}, not running`, { field: "id" });
    const variant = test.variants.find((v) => v.name === decision.variant);
    if (!variant) throw new GantryError("INVALID_INPUT", `A/B test '${test.name}' has no variant '${decision.variant}' (it has ${test.variants.map((v) => v.name).join(", ")})`, { field: "variant" });
    const endpoint = await endpointByName(c, endpointName, { forUpdate: true });
    const [version] = await tx.select().from(modelVersions).where(eq(modelVersions.id, variant.modelVersionId)).for("share");
    if (!version || version.archived || version.status !== "ready") {
      throw new GantryError("PRECONDITION_FAILED", `Variant '${variant.name}' serves ${variant.model}/${variant.version}, which is ${version ? (version.archived ? "archived" : version.status) : "deleted"}`, { field: "variant" });
    }
    if (decision.moveAlias && test.promoteAlias) {
      // An endpoint following this alias is redeployed by the move itself.
      await setAlias(c, { name: variant.model, alias: test.promoteAlias, version: variant.version, reason: `A/B test '${test.name}': ${decision.reason}` });
    }
    const [current] = await tx
      .select({ revision: deploymentRevisions })
      .from(endpoints)
      .innerJoin(deploymentRevisions, eq(deploymentRevisions.id, endpoints.currentRevisionId))
      .where(eq(endpoints.id, endpoint.id));
    const p = current?.revision.policy;
    if (!(p?.kind === "single" && p.variants[0].modelVersionId === variant.modelVersionId)) {
      const revision = await writeRevision(c, endpoint, {
        policy: { kind: "single", variants: [{ name: "default", modelVersionId: variant.modelVersionId, model: variant.model, version: variant.version, ...(variant.via ? { via: variant.via } : {}), weight: 100 }] },
        reason: `A/B test '${test.name}' ${decision.status.replace("_", " ")}: ${decision.reason}`,
      });
      await recordAudit(tx, ctx.orgId, ctx.actor, deployAudit(endpoint.name, revision));
    }
    await tx
      .update(abTests)
      .set({ status: decision.status, stoppedAt: sql`now()`, decision: `${decision.variant}: ${decision.reason}`, decidedBy: actingUserId(ctx), decidedByLabel: ctx.actor.label, updatedAt: sql`now()` })
      .where(eq(abTests.id, test.id));
    const action = decision.status === "promoted" ? "abtest.promote" : decision.status === "rolled_back" ? "abtest.rollback" : "abtest.stop";
    await recordAudit(tx, ctx.orgId, ctx.actor, { action, targetType: "ab_test", targetId: test.id, data: { name: test.name, variant: variant.name, model: variant.model, version: variant.version, reason: decision.reason } });
  });
  return getAbTest(ctx, id);
}

type DecisionInput = z.input<typeof ZAbTestDecisionInput>;

/** The variant wins: all traffic, and the test's alias (if any) moves to its version. `best` names the default winner. */
export function promoteAbTest(ctx: OrgContext, raw: DecisionInput, best: (test: AbTest) => Promise<string>): Promise<AbTest> {
  const input = parseInput(ZAbTestDecisionInput, raw);
  return endTest(ctx, input.id, async (test) => ({ status: "promoted", variant: input.variant ?? (await best(test)), reason: input.reason ?? "promoted", moveAlias: true }));
}

/** The control takes all traffic back; the test ends without a winner. */
export function stopAbTest(ctx: OrgContext, raw: DecisionInput): Promise<AbTest> {
  const input = parseInput(ZAbTestDecisionInput, raw);
  return endTest(ctx, input.id, (test) => ({ status: "stopped", variant: test.variants[0]?.name ?? "control", reason: input.reason ?? "stopped", moveAlias: false }));
}

/** As stop, marked rolled back (a canary guard breached, or a person pulled it). */
export function rollbackAbTest(ctx: OrgContext, raw: DecisionInput): Promise<AbTest> {
  const input = parseInput(ZAbTestDecisionInput, raw);
  return endTest(ctx, input.id, (test) => ({ status: "rolled_back", variant: test.variants[0]?.name ?? "control", reason: input.reason ?? "rolled back", moveAlias: false }));
}
