import type { Executor } from "@gantry/db";
import { and, eq, sql } from "@gantry/db";
import { GantryError, jobLogs, jobs } from "@gantry/schema";
import type { JobProgress, SweepResult } from "@gantry/schema";

import type { OrgContext } from "../context";
import { logBatch } from "../tracking/logging";
import { runRow, updateRun } from "../tracking/runs";
import { recordFailedSubmission, submissionFailure } from "./failed-job";
import { appendJobLog, jobContext } from "./lease";
import type { JobRow } from "./read";
import { submitTrainingJob } from "./submit";
import type { SweepChild } from "./sweep-state";
import { isFinished, latestByTrial, pickBest, runMetrics, SWEEP_JOB_TAG, SWEEP_TRIAL_TAG, sweepChildren, sweepSpecOf } from "./sweep-state";
import { formatValue, withTrialValues } from "./sweep-trials";
import { JOB_CANCEL_CHANNEL } from "./queue";

/*
 * A sweep moves forward when one of its children ends: `advanceSweep` launches the next trials
 * up to the concurrency limit and, once every trial has ended, picks the best child and finishes
 * the sweep. The sweep row is locked (FOR UPDATE) throughout, so concurrent calls (two children
 * ending together, the recovery pass) serialise and a second call finds nothing left to do.
 */

const describeValues = (values: Record<string, unknown>) =>
  Object.entries(values)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(" ");

/**
 * Submits trial `index` as a child training job (its run a child of the sweep's parent run,
 * tagged with the trial's values). A trial that can no longer be submitted (its dataset was
 * deleted meanwhile) is recorded as a failed child, so the sweep goes on. `ctx.db` is the
 * transaction that holds the sweep row.
 */
export async function launchTrial(ctx: OrgContext, sweep: JobRow, index: number): Promise<{ jobId: string; failed: boolean }> {
  const spec = sweepSpecOf(sweep);
  const values = spec.trials[index] ?? {};
  const runTags = { [SWEEP_JOB_TAG]: sweep.id, [SWEEP_TRIAL_TAG]: String(index), ...Object.fromEntries(Object.entries(values).map(([k, v]) => [`gantry.sweep.${k}`, formatValue(v)])) };
  const trialSpec = withTrialValues({ ...spec.base, runName: `${spec.name.slice(0, 240)}-${index + 1}` }, values);
  const label = `Trial ${index + 1}/${spec.trials.length}`;
  try {
    // A savepoint: a failed submission must not abort the transaction that holds the sweep.
    const job = await ctx.db.transaction((sp) =>
      submitTrainingJob({ ...ctx, db: sp }, trialSpec, { parentJobId: sweep.id, parentRunId: sweep.runId ?? undefined, runTags }),
    );
    await appendJobLog(ctx.db, { orgId: sweep.orgId, jobId: sweep.id }, `${label} queued as job ${job.id}: ${describeValues(values)}`);
    return { jobId: job.id, failed: false };
  } catch (error) {
    const message = submissionFailure(error);
    const failed = await recordFailedSubmission(ctx, { spec: { ...trialSpec, runTags }, parentJobId: sweep.id, message, note: `${label} of sweep ${sweep.id} could not be submitted` });
    await appendJobLog(ctx.db, { orgId: sweep.orgId, jobId: sweep.id }, `${label} could not be submitted: ${message}`, "error");
    return { jobId: failed.id, failed: true };
  }
}

/** Run writes the sweep can live without (the user may have deleted the parent run): kept apart in a savepoint, failures logged. */
async function bestEffort(ctx: OrgContext, sweep: JobRow, what: string, write: (c: OrgContext) => Promise<unknown>) {
  try {
    await ctx.db.transaction((sp) => write({ ...ctx, db: sp }));
  } catch (error) {
    if (!(error instanceof GantryError)) throw error;
    await appendJobLog(ctx.db, { orgId: sweep.orgId, jobId: sweep.id }, `Could not ${what}: ${error.message}`, "warn");
  }
}

export type AdvanceReport = { launched: string[]; status: JobRow["status"] } | null;

/** See the file comment. Null when there is no such sweep. Idempotent. */
export async function advanceSweep(db: Executor, sweepJobId: string): Promise<AdvanceReport> {
  return db.transaction(async (tx) => {
    const [sweep] = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.id, sweepJobId), eq(jobs.kind, "sweep")))
      .for("update");
    if (!sweep) return null;
    if (sweep.status !== "running") return { launched: [], status: sweep.status };
    return advanceLockedSweep({ ...(await jobContext(tx, sweep)), db: tx }, sweep);
  });
}

/**
 * The body of `advanceSweep`, for a running sweep whose row `ctx.db` (a transaction) holds: the
 * worker acting for the sweep's creator, or the submitter launching the first trials.
 */
export async function advanceLockedSweep(ctx: OrgContext, sweep: JobRow): Promise<NonNullable<AdvanceReport>> {
  const tx = ctx.db;
  const spec = sweepSpecOf(sweep);
  const total = spec.trials.length;
  const children = await sweepChildren(tx, sweep.id);
  const latest = latestByTrial(children);
  let unfinished = children.filter((c) => !isFinished(c.status)).length;
  const launched: string[] = [];
  for (let index = 0; index < total && unfinished < spec.concurrency; index++) {
    if (latest.has(index)) continue;
    const trial = await launchTrial(ctx, sweep, index);
    launched.push(trial.jobId);
    latest.set(index, { id: trial.jobId, status: trial.failed ? "failed" : "queued", runId: null, error: null, trial: index });
    if (!trial.failed) unfinished++;
  }
  const done = [...latest.values()].filter((c) => isFinished(c.status)).length;
  const ended = latest.size === total && done === total;
  const succeededRuns = [...latest.values()].filter((c) => c.status === "succeeded" && c.runId).map((c) => c.runId as string);
  const best = pickBest(spec, latest, await runMetrics(tx, succeededRuns, spec.metric));
  if (ended) return { launched, status: await finishSweep(ctx, sweep, { latest, best, total }) };
  const progress: JobProgress = { fraction: total ? done / total : 1, done, total, ...(best ? { metrics: { [spec.metric]: best.value } } : {}) };
  if (JSON.stringify(progress) !== JSON.stringify(sweep.progress)) await tx.update(jobs).set({ progress }).where(eq(jobs.id, sweep.id));
  return { launched, status: sweep.status };
}

/** Every trial has ended: the best child tagged, the parent run given the best value and ended, the sweep job finished with its result. */
async function finishSweep(ctx: OrgContext, sweep: JobRow, state: { latest: Map<number, SweepChild>; best: ReturnType<typeof pickBest>; total: number }): Promise<JobRow["status"]> {
  const spec = sweepSpecOf(sweep);
  const { best, total } = state;
  const count = (status: string) => [...state.latest.values()].filter((c) => c.status === status).length;
  const [succeeded, failed, cancelled] = [count("succeeded"), count("failed"), count("cancelled")];
  const result: SweepResult = { bestJobId: best?.jobId ?? null, bestRunId: best?.runId ?? null, metric: spec.metric, value: best?.value ?? null, trials: total, succeeded, failed, cancelled };
  const ok = succeeded > 0;
  if (best) await bestEffort(ctx, sweep, `tag the best run ${best.runId}`, (c) => logBatch(c, best.runId, { tags: [{ key: "gantry.sweep.best", value: "true" }] }));
  if (sweep.runId) {
    const parentRunId = sweep.runId;
    await bestEffort(ctx, sweep, `record the result on the parent run ${parentRunId}`, async (c) => {
      if ((await runRow(c, parentRunId)).lifecycleStage !== "active") throw new GantryError("PRECONDITION_FAILED", "it was deleted");
      if (best) {
        await logBatch(c, parentRunId, {
          tags: [{ key: "gantry.sweep.best_run_id", value: best.runId }],
          metrics: [{ key: spec.metric, value: best.value, timestamp: Date.now(), step: 0 }],
        });
      }
      await updateRun(c, parentRunId, { status: ok ? "FINISHED" : "FAILED" });
    });
  }
  const summary = `${total} trials: ${succeeded} succeeded, ${failed} failed${cancelled ? `, ${cancelled} cancelled` : ""}`;
  const message = !ok
    ? `Failed: no trial succeeded (${summary})`
    : best
      ? `Succeeded: best ${spec.metric}=${best.value} from trial ${best.index + 1} (job ${best.jobId}, run ${best.runId}); ${summary}`
      : `Succeeded, but no trial logged '${spec.metric}', so none was picked as the best; ${summary}`;
  await ctx.db
    .update(jobs)
    .set({
      status: ok ? "succeeded" : "failed",
      error: ok ? null : message,
      result,
      finishedAt: sql`now()`,
      progress: { fraction: 1, done: total, total, ...(best ? { metrics: { [spec.metric]: best.value } } : {}) },
    })
    .where(eq(jobs.id, sweep.id));
  await appendJobLog(ctx.db, { orgId: sweep.orgId, jobId: sweep.id }, message, ok ? (best ? "info" : "warn") : "error");
  return ok ? "succeeded" : "failed";
}

/** The worker's hook when a training job ends: when it is a sweep's child, the sweep moves on. */
export async function advanceParentSweep(db: Executor, childJobId: string): Promise<AdvanceReport> {
  const [child] = await db.select({ parentJobId: jobs.parentJobId }).from(jobs).where(eq(jobs.id, childJobId));
  return child?.parentJobId ? advanceSweep(db, child.parentJobId) : null;
}

/**
 * For the recovery pass: running sweeps with fewer unfinished children than they should have
 * (a child ended, and its worker died before advancing the sweep), advanced now. Returns their ids.
 */
export async function advanceStalledSweeps(db: Executor): Promise<string[]> {
  const stalled = await db.execute<{ id: string }>(sql`
    select s.id from jobs s
    where s.kind = 'sweep' and s.status = 'running'
      and (select count(*) from jobs c where c.parent_job_id = s.id and c.status in ('queued', 'running'))
        < least((s.spec->>'concurrency')::int, (s.progress->>'total')::int - (s.progress->>'done')::int)
    order by s.id
    limit 100`);
  const advanced: string[] = [];
  for (const { id } of stalled) if (await advanceSweep(db, id)) advanced.push(id);
  return advanced;
}

/**
 * Cancels a running sweep inside the caller's transaction (which holds the sweep row): queued
 * children are cancelled at once, running ones asked to stop, no trial is launched any more, and
 * the parent run ends KILLED.
 */
export async function cancelSweep(ctx: OrgContext, sweep: JobRow): Promise<JobRow> {
  const queued = await ctx.db
    .update(jobs)
    .set({ status: "cancelled", cancelRequested: true, finishedAt: sql`now()`, workerId: null })
    .where(and(eq(jobs.parentJobId, sweep.id), eq(jobs.status, "queued")))
    .returning({ id: jobs.id });
  const running = await ctx.db
    .update(jobs)
    .set({ cancelRequested: true })
    .where(and(eq(jobs.parentJobId, sweep.id), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  for (const c of running) await ctx.db.execute(sql`select pg_notify(${JOB_CANCEL_CHANNEL}, ${c.id})`);
  const line = (jobId: string, message: string) => ({ orgId: ctx.orgId, jobId, level: "warn" as const, message });
  const lines = [
    ...queued.map((c) => line(c.id, `Cancelled with its sweep ${sweep.id} by ${ctx.actor.label} before it started`)),
    ...running.map((c) => line(c.id, `Cancellation of its sweep ${sweep.id} requested by ${ctx.actor.label}; the worker stops at the next batch`)),
    line(sweep.id, `Cancelled by ${ctx.actor.label}: ${queued.length} queued trials cancelled, ${running.length} running asked to stop; no more trials start`),
  ];
  await ctx.db.insert(jobLogs).values(lines);
  if (sweep.runId) {
    const parentRunId = sweep.runId;
    await bestEffort(ctx, sweep, `end the parent run ${parentRunId}`, (c) => updateRun(c, parentRunId, { status: "KILLED" }));
  }
  const [updated] = await ctx.db
    .update(jobs)
    .set({ status: "cancelled", cancelRequested: true, finishedAt: sql`now()` })
    .where(eq(jobs.id, sweep.id))
    .returning();
  return updated ?? sweep;
}
