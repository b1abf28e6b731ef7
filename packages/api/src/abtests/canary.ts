import type { Database } from "@gantry/db";
import { sql } from "@gantry/db";
import type { TrafficPolicy } from "@gantry/schema";

import { raiseAlert } from "../alerts";
import type { OrgContext } from "../context";
import { histogramQuantile } from "../serving/minute-stats";
import { deployAudit, writeRevision } from "../serving/deploy";
import { endpointByName } from "../serving/lookup";
import { recordAudit } from "../services/audit";
import { promoteAbTest, rollbackAbTest } from "./decide";

/*
 * The canary controller: for every endpoint whose current revision is a canary, judge the
 * candidate at its current step from the per-minute operations stats (and feedback when a reward
 * guard is set) since that step's revision began. A breached guard rolls the test back (the
 * control takes all traffic) and raises a critical alert; a step that lasted its time (or its
 * requests) with healthy guards moves to the next weight as a new revision; passing the last step
 * promotes the candidate (the test's alias moves, a single revision serves it).
 */

type CanaryPolicy = Extract<TrafficPolicy, { kind: "canary" }>;
type Candidate = { orgId: string; endpointId: string; endpointName: string; revisionId: string; revision: number; startedAt: Date; policy: CanaryPolicy };

export type CanaryOutcome = { endpoint: string; action: "wait" | "advance" | "promote" | "rollback" | "error"; detail: string };

async function canaryEndpoints(db: Database): Promise<Candidate[]> {
  const rows = (await db.execute(sql`
    select e.org_id, e.id as endpoint_id, e.name, r.id as revision_id, r.revision, r.created_at, r.policy
      from endpoints e join deployment_revisions r on r.id = e.current_revision_id
     where r.policy->>'kind' = 'canary' and e.status = 'active'`)) as unknown as { org_id: string; endpoint_id: string; name: string; revision_id: string; revision: number; created_at: string; policy: CanaryPolicy }[];
  return rows.map((r) => ({ orgId: r.org_id, endpointId: r.endpoint_id, endpointName: r.name, revisionId: r.revision_id, revision: r.revision, startedAt: new Date(r.created_at), policy: r.policy }));
}

/** The candidate's requests, errors and p99 in the step's own revision, and each variant's mean reward. */
async function stepHealth(db: Database, c: Candidate) {
  const candidate = c.policy.variants[1].name;
  const [ops] = (await db.execute(sql`
    select coalesce(sum(requests), 0)::float8 as requests, coalesce(sum(errors), 0)::float8 as errors,
           (select array_agg(s order by i) from (
              select i, sum(b)::int as s from endpoint_minute_stats m2, unnest(m2.latency_buckets) with ordinality as u(b, i)
               where m2.endpoint_id = ${c.endpointId} and m2.revision = ${c.revision} and m2.variant = ${candidate}
               group by i) h) as buckets
      from endpoint_minute_stats m
     where m.endpoint_id = ${c.endpointId} and m.revision = ${c.revision} and m.variant = ${candidate}`)) as unknown as { requests: number; errors: number; buckets: number[] | null }[];
  let rewardDrop: number | null = null;
  if (c.policy.guards.maxRewardDrop !== undefined) {
    const rewards = (await db.execute(sql`
      select l.variant, avg(coalesce(f.reward, case when lower(f.label) in ('1', 'true', 'yes') then 1 else 0 end))::float8 as mean
        from prediction_feedback f join prediction_log l on l.endpoint_id = f.endpoint_id and l.request_id = f.request_id and l.row_index = f.row_index
       where f.endpoint_id = ${c.endpointId} and l.revision = ${c.revision} group by l.variant`)) as unknown as { variant: string; mean: number }[];
    const mean = (name: string) => rewards.find((r) => r.variant === name)?.mean;
    const base = mean(c.policy.variants[0].name);
    const cand = mean(candidate);
    if (base !== undefined && cand !== undefined) rewardDrop = base - cand;
  }
  return { requests: ops?.requests ?? 0, errors: ops?.errors ?? 0, p99: histogramQuantile(ops?.buckets ?? [], 0.99), rewardDrop };
}

function breach(policy: CanaryPolicy, h: Awaited<ReturnType<typeof stepHealth>>): string | null {
  const g = policy.guards;
  const rate = h.requests ? h.errors / h.requests : 0;
  if (rate > g.maxErrorRate) return `error rate ${(rate * 100).toFixed(1)}% > ${(g.maxErrorRate * 100).toFixed(1)}%`;
  if (h.p99 !== null && h.p99 > g.maxP99Ms) return `p99 latency ${h.p99.toFixed(1)} ms > ${g.maxP99Ms} ms`;
  if (g.maxRewardDrop !== undefined && h.rewardDrop !== null && h.rewardDrop > g.maxRewardDrop) return `reward ${h.rewardDrop.toFixed(3)} below the baseline (allowed ${g.maxRewardDrop})`;
  return null;
}

/** One pass over every canary; `now` is for tests. */
export async function advanceCanaries(db: Database, now: Date = new Date()): Promise<CanaryOutcome[]> {
  const outcomes: CanaryOutcome[] = [];
  for (const c of await canaryEndpoints(db)) {
    try {
      outcomes.push(await advanceCanary(db, c, now));
    } catch (error) {
      // Another worker decided first (the test is no longer running), or the database hiccupped: the next pass sees.
      outcomes.push({ endpoint: c.endpointName, action: "error", detail: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}

async function advanceCanary(db: Database, c: Candidate, now: Date): Promise<CanaryOutcome> {
  const ctx: OrgContext = { db, orgId: c.orgId, role: "owner", actor: { type: "system", label: "canary controller" } };
  const p = c.policy;
  const weight = p.steps[p.step] ?? 100;
  const h = await stepHealth(db, c);
  const where = `step ${p.step + 1}/${p.steps.length} (${weight}%)`;
  const stats = { requests: h.requests, errors: h.errors, errorRate: h.requests ? h.errors / h.requests : 0, p99Ms: h.p99, rewardDrop: h.rewardDrop, step: p.step + 1, weight };
  const broken = h.requests >= p.guards.minRequests ? breach(p, h) : null;
  if (broken && p.abTestId) {
    const reason = `canary guard breached at ${where}: ${broken}`;
    await rollbackAbTest(ctx, { id: p.abTestId, reason });
    await raiseAlert(db, {
      orgId: c.orgId,
      endpointId: c.endpointId,
      source: "canary",
      fingerprint: `canary:${p.abTestId}`,
      severity: "critical",
      title: `Canary of ${p.variants[1].model}/${p.variants[1].version} on ${c.endpointName} rolled back: ${broken}`,
      evidence: { ...stats, guards: p.guards, candidate: p.variants[1], baseline: p.variants[0] },
    });
    return { endpoint: c.endpointName, action: "rollback", detail: reason };
  }
  const elapsedMinutes = (now.getTime() - c.startedAt.getTime()) / 60_000;
  const timeUp = p.everyMinutes !== undefined && elapsedMinutes >= p.everyMinutes;
  const enough = p.everyRequests !== undefined && h.requests >= p.everyRequests;
  if (!(timeUp || enough) || h.requests < p.guards.minRequests) {
    return { endpoint: c.endpointName, action: "wait", detail: `${where}: ${h.requests} requests` };
  }
  if (p.step + 1 >= p.steps.length) {
    if (p.abTestId) await promoteAbTest(ctx, { id: p.abTestId, variant: p.variants[1].name, reason: `canary passed every step (${p.steps.join(" → ")}%)` }, async () => p.variants[1].name);
    return { endpoint: c.endpointName, action: "promote", detail: `passed ${where}` };
  }
  const next = p.steps[p.step + 1] ?? 100;
  await db.transaction(async (tx) => {
    const t = { ...ctx, db: tx };
    const endpoint = await endpointByName(t, c.endpointName, { forUpdate: true });
    // Another controller (or a person) moved it meanwhile: leave it to them.
    if (endpoint.currentRevisionId !== c.revisionId) return;
    const policy: CanaryPolicy = { ...p, step: p.step + 1, variants: [{ ...p.variants[0], weight: 100 - next }, { ...p.variants[1], weight: next }] };
    const revision = await writeRevision(t, endpoint, { policy, reason: `canary step ${p.step + 2}/${p.steps.length}: ${next}% (step ${p.step + 1} healthy: ${h.requests} requests, ${(stats.errorRate * 100).toFixed(2)}% errors, p99 ${h.p99?.toFixed(1) ?? "—"} ms)` });
    await recordAudit(tx, ctx.orgId, ctx.actor, deployAudit(endpoint.name, revision));
  });
  return { endpoint: c.endpointName, action: "advance", detail: `${where} → ${next}%` };
}
