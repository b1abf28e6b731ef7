import type { Executor } from "@gantry/db";
import { and, asc, eq, inArray, sql } from "@gantry/db";
import { GantryError, jobs, latestMetrics } from "@gantry/schema";
import type { JobStatus, SweepBest, SweepConfig } from "@gantry/schema";

import type { JobRow } from "./read";
import type { TrialValues } from "./sweep-trials";

/*
 * Reading a sweep: its stored spec, its children (each the job of one trial, found by the trial
 * index its run tags carry) and their runs' metrics.
 */

/**
 * What a sweep job stores as its spec: the validated config with the base's dataset pinned to a
 * version number (every trial trains on the same data, whatever is uploaded meanwhile), the
 * parent run's name, and the expanded trials.
 */
export type StoredSweepSpec = SweepConfig & { name: string; trials: TrialValues[] };

/** Run tags of a trial's job: the sweep and the trial index (the values get `gantry.sweep.<path>`). */
export const SWEEP_JOB_TAG = "gantry.sweep.job_id";
export const SWEEP_TRIAL_TAG = "gantry.sweep.trial";

export function sweepSpecOf(job: Pick<JobRow, "id" | "kind" | "spec">): StoredSweepSpec {
  if (job.kind !== "sweep") throw new GantryError("INVALID_INPUT", `Job ${job.id} is a ${job.kind} job, not a sweep`, { field: "jobId" });
  return job.spec as StoredSweepSpec;
}

export type SweepChild = { id: string; status: JobStatus; runId: string | null; error: string | null; trial: number | null };

/** The sweep's children, oldest first (a retried trial has several; the newest is the one that counts). */
export async function sweepChildren(db: Executor, sweepId: string): Promise<SweepChild[]> {
  const rows = await db
    .select({ id: jobs.id, status: jobs.status, runId: jobs.runId, error: jobs.error, trial: sql<string | null>`${jobs.spec}->'runTags'->>${SWEEP_TRIAL_TAG}` })
    .from(jobs)
    .where(eq(jobs.parentJobId, sweepId))
    .orderBy(asc(jobs.id));
  return rows.map((r) => ({ ...r, trial: r.trial === null ? null : Number(r.trial) }));
}

/** Trial index → its newest job. */
export function latestByTrial(children: SweepChild[]): Map<number, SweepChild> {
  const map = new Map<number, SweepChild>();
  for (const child of children) if (child.trial !== null && Number.isInteger(child.trial)) map.set(child.trial, child);
  return map;
}

export const isFinished = (status: JobStatus) => status === "succeeded" || status === "failed" || status === "cancelled";

/** Run id → its latest metric values (only `key` when given). */
export async function runMetrics(db: Executor, runIds: string[], key?: string): Promise<Map<string, Record<string, number>>> {
  const map = new Map<string, Record<string, number>>();
  if (!runIds.length) return map;
  const rows = await db
    .select({ runId: latestMetrics.runId, key: latestMetrics.key, value: latestMetrics.value })
    .from(latestMetrics)
    .where(and(inArray(latestMetrics.runId, runIds), key === undefined ? undefined : eq(latestMetrics.key, key)))
    .orderBy(asc(latestMetrics.key));
  for (const r of rows) map.set(r.runId, { ...map.get(r.runId), [r.key]: r.value });
  return map;
}

/** The best succeeded trial by the sweep's metric (trials without a finite value are skipped). */
export function pickBest(spec: Pick<SweepConfig, "metric" | "goal">, trials: Map<number, SweepChild>, metrics: Map<string, Record<string, number>>): SweepBest | null {
  let best: SweepBest | null = null;
  for (const [index, child] of [...trials].sort(([a], [b]) => a - b)) {
    if (child.status !== "succeeded" || !child.runId) continue;
    const value = metrics.get(child.runId)?.[spec.metric];
    if (value === undefined || !Number.isFinite(value)) continue;
    const better = !best || (spec.goal === "maximize" ? value > best.value : value < best.value);
    if (better) best = { index, jobId: child.id, runId: child.runId, metric: spec.metric, value };
  }
  return best;
}
