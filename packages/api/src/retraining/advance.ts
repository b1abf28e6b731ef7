import type { Database } from "@gantry/db";
import { eq, sql } from "@gantry/db";
import type { RetrainTimelineEvent, TrainingSpec } from "@gantry/schema";
import { abTests, jobs, retrainPolicies, retrainRuns } from "@gantry/schema";

import { startAbTest } from "../abtests/start";
import type { OrgContext } from "../context";
import { storedTrainingSpec } from "../jobs/submit";
import { recordAudit } from "../services/audit";
import { currentPolicy } from "../serving/serving-state";

/*
 * The retraining loop after the job is submitted (the worker runs a pass every minute, and one as
 * soon as a canary ends); a pass moves a run as far as it can go without waiting: training → gating
 * when the job succeeded and registered the challenger (failed when it
 * did not); gating → rolling_out when the challenger beats the champion on the challenger's own
 * holdout by the policy's margin (rejected otherwise, with both scores in the timeline); rolling
 * out → promoted or rolled_back as the canary ends. Scoring needs TensorFlow.js, so the caller
 * (the worker) passes it in.
 */

export type ScoreBoth = (input: { orgId: string; spec: TrainingSpec; datasetVersionId: string; championVersionId: string; challengerVersionId: string }) => Promise<{ champion: Record<string, number>; challenger: Record<string, number>; rows: number }>;

type RunRow = typeof retrainRuns.$inferSelect;
type PolicyRow = typeof retrainPolicies.$inferSelect;

const event = (step: string, message: string, links?: Record<string, string | number>): RetrainTimelineEvent => ({ at: new Date().toISOString(), step, message, ...(links ? { links } : {}) });

async function update(db: Database, run: RunRow, set: Partial<RunRow>, events: RetrainTimelineEvent[]): Promise<void> {
  const final = set.status && !["training", "gating", "rolling_out"].includes(set.status);
  await db
    .update(retrainRuns)
    .set({ ...set, timeline: [...run.timeline, ...events], updatedAt: sql`now()`, ...(final ? { finishedAt: sql`now()` } : {}) })
    .where(eq(retrainRuns.id, run.id));
  if (final) await recordAudit(db, run.orgId, { type: "system", label: "retraining policy" }, { action: `retrain.${set.status}`, targetType: "retrain_run", targetId: run.id, data: { message: events.at(-1)?.message ?? "" } });
}

async function served(db: Database, endpointId: string): Promise<{ versionId: string; version: number; model: string } | null> {
  const v = (await currentPolicy(db, endpointId))?.policy.variants[0];
  return v ? { versionId: v.modelVersionId, version: v.version, model: v.model } : null;
}

async function advanceOne(db: Database, run: RunRow, policy: PolicyRow, score: ScoreBoth): Promise<string> {
  const ctx: OrgContext = { db, orgId: run.orgId, role: "owner", actor: { type: "system", label: "retraining policy" } };
  if (run.status === "training") {
    const [job] = await db.select().from(jobs).where(eq(jobs.id, run.jobId ?? ""));
    if (!job || job.status === "queued" || job.status === "running") return "waiting for the job";
    const registered = (job.result as { registered?: { version: number } } | null)?.registered;
    if (job.status !== "succeeded" || !registered) {
      await update(db, run, { status: "failed" }, [event("training", `the training job ${job.status}${job.error ? `: ${job.error}` : registered ? "" : " without registering a version"}`, { job: job.id })]);
      return "failed";
    }
    await update(db, run, { status: "gating", challengerVersion: registered.version }, [event("trained", `challenger registered as version ${registered.version} (alias challenger)`, { job: job.id, run: job.runId ?? "", version: registered.version })]);
    return "gating";
  }
  if (run.status === "gating") {
    const champion = await served(db, policy.endpointId);
    const [challenger] = (await db.execute(sql`select id from model_versions where model_id = ${policy.modelId} and version = ${run.challengerVersion ?? -1}`)) as unknown as { id: string }[];
    const [job] = await db.select().from(jobs).where(eq(jobs.id, run.jobId ?? ""));
    if (!champion || !challenger || !job) {
      await update(db, run, { status: "failed" }, [event("gate", !champion ? "the endpoint serves nothing to compare with" : "the challenger version or its job is gone")]);
      return "failed";
    }
    const { spec, dataset } = storedTrainingSpec(job);
    const { metric, direction, margin } = policy.gate;
    const scores = await score({ orgId: run.orgId, spec, datasetVersionId: dataset.versionId, championVersionId: champion.versionId, challengerVersionId: challenger.id });
    const a = scores.champion[metric];
    const b = scores.challenger[metric];
    const gate = { metric, direction, margin, champion: a ?? null, challenger: b ?? null, holdoutRows: scores.rows, championVersion: champion.version, challengerVersion: run.challengerVersion };
    const passed = a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && (direction === "higher" ? b >= a + margin : b <= a - margin);
    const said = `${metric} on the same holdout (${scores.rows} rows): challenger v${run.challengerVersion} ${b?.toFixed(4) ?? "—"} vs champion v${champion.version} ${a?.toFixed(4) ?? "—"}, needs ${direction === "higher" ? "≥" : "≤"} champion ${direction === "higher" ? "+" : "−"} ${margin}`;
    if (!passed) {
      await update(db, run, { status: "rejected", gate, championVersion: champion.version }, [event("gate", `stopped at the gate: ${said}`, { version: run.challengerVersion ?? 0 })]);
      return "rejected";
    }
    const endpoint = (await db.execute(sql`select name from endpoints where id = ${policy.endpointId}`)) as unknown as { name: string }[];
    const r = policy.rollout;
    const test = await startAbTest(ctx, {
      endpoint: endpoint[0]?.name ?? "",
      name: `retrain-${run.id.slice(-12)}`,
      hypothesis: `retrained ${champion.model} (v${run.challengerVersion}) is at least as good as v${champion.version} in production`,
      kind: "canary",
      variants: [{ model: `models:/${champion.model}/${champion.version}` }, { model: `models:/${champion.model}/${run.challengerVersion}` }],
      plan: { baseline: 0.1, minimumDetectableEffect: 0.1 },
      promoteAlias: "champion",
      canary: { steps: r.steps, everyMinutes: r.everyMinutes, everyRequests: r.everyRequests, maxErrorRate: r.maxErrorRate, maxP99Ms: r.maxP99Ms, minRequests: r.minRequests },
    });
    await update(db, run, { status: "rolling_out", gate, championVersion: champion.version, abTestId: test.id }, [
      event("gate", `passed: ${said}`, { version: run.challengerVersion ?? 0 }),
      event("rollout", `canary started: ${r.steps.join(" → ")}%`, { abtest: test.id }),
    ]);
    return "rolling_out";
  }
  if (run.status === "rolling_out") {
    const [test] = await db.select().from(abTests).where(eq(abTests.id, run.abTestId ?? ""));
    if (!test || test.status === "running") return "canary running";
    const promoted = test.status === "promoted";
    await update(db, run, { status: promoted ? "promoted" : "rolled_back" }, [
      event(promoted ? "promoted" : "rolled_back", promoted ? `v${run.challengerVersion} promoted: alias champion moved, serving 100%` : `canary ended ${test.status.replace("_", " ")}: ${test.decision ?? ""}`, { abtest: test.id }),
    ]);
    return promoted ? "promoted" : "rolled_back";
  }
  return run.status;
}

/**
 * One pass over every run in flight; a failing run is reported and the others still move. Passes
 * never overlap (the minute's tick, one asked for by an ended job or canary, another worker's): a
 * pass holds a transaction-scoped advisory lock while it works, and one that finds it taken skips.
 */
export async function advanceRetrainRuns(db: Database, score: ScoreBoth): Promise<{ runId: string; outcome: string }[]> {
  return db.transaction(async (lock) => {
    const [held] = (await lock.execute(sql`select pg_try_advisory_xact_lock(hashtext('gantry.retrain-pass')) as ok`)) as unknown as { ok: boolean }[];
    return held?.ok ? advanceAll(db, score) : [];
  });
}

async function advanceAll(db: Database, score: ScoreBoth): Promise<{ runId: string; outcome: string }[]> {
  const active = await db
    .select({ run: retrainRuns, policy: retrainPolicies })
    .from(retrainRuns)
    .innerJoin(retrainPolicies, eq(retrainPolicies.id, retrainRuns.policyId))
    .where(sql`${retrainRuns.status} in ('training', 'gating', 'rolling_out')`);
  const out: { runId: string; outcome: string }[] = [];
  for (const { run, policy } of active) {
    try {
      // A registered challenger is judged at once, and a passing one starts its canary: no minute lost between steps.
      let outcome = await advanceOne(db, run, policy, score);
      if (outcome === "gating") {
        const [next] = await db.select().from(retrainRuns).where(eq(retrainRuns.id, run.id));
        if (next?.status === "gating") outcome = `gating → ${await advanceOne(db, next, policy, score)}`;
      }
      out.push({ runId: run.id, outcome });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (run.status === "gating") await update(db, run, { status: "failed" }, [event("gate", `failed: ${message}`)]);
      out.push({ runId: run.id, outcome: `error: ${message}` });
    }
  }
  return out;
}
