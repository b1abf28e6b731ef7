import { GantryError, jobLogs, jobs, newId, ZSubmitSweepInput } from "@gantry/schema";
import type { JobProgress, SweepConfigInput, SweepTrial, SweepView } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { mutate } from "../services/audit";
import { logBatch } from "../tracking/logging";
import { createRun } from "../tracking/runs";
import { resolveDatasetVersion } from "../datasets";
import { jobRow, toJob } from "./read";
import { creatorOf, pinTrainingSpec } from "./submit";
import { advanceLockedSweep } from "./sweep-advance";
import type { StoredSweepSpec } from "./sweep-state";
import { latestByTrial, pickBest, runMetrics, sweepChildren, sweepSpecOf } from "./sweep-state";
import type { TrialValues } from "./sweep-trials";
import { describeParameter, expandTrials, formatValue, withTrialValues } from "./sweep-trials";
import { experimentIdByName } from "./training-run";

/*
 * Sweeps: grid or random search over training spec fields. A sweep is a job of its own (never on
 * the train queue: it runs nothing itself) with a parent run; each trial is an ordinary training
 * job (`parentJobId` the sweep) whose run is a child of the parent run. Trials beyond the
 * concurrency limit are submitted as earlier ones end (`advanceSweep`).
 */

/** `spec.x: reason` from pinTrainingSpec, reworded for the parameter whose value caused it. */
function trialError(error: GantryError, paths: string[], values: TrialValues): GantryError {
  const inner = (error.field ?? "").replace(/^spec\.?/, "");
  const byLength = [...paths].sort((a, b) => b.length - a.length);
  const path =
    byLength.find((p) => inner === p || inner.startsWith(`${p}.`)) ??
    byLength.find((p) => inner !== "" && p.startsWith(`${inner}.`)) ??
    (error.code === "NOT_FOUND" ? byLength.find((p) => p.startsWith("dataset")) : undefined);
  if (!path) return error;
  const reason = error.message.replace(/^spec(\.[^:]*)?: /, "");
  const field = `config.parameters.${path}`;
  return new GantryError("INVALID_INPUT", `${field}: ${formatValue(values[path])} is not a valid value: ${reason}`, { field, cause: error });
}

/** The base spec, pinned once: every trial trains on the same dataset version. */
async function pinBase(ctx: OrgContext, config: StoredSweepSpec["base"]) {
  try {
    return await pinTrainingSpec(ctx, config);
  } catch (error) {
    if (!(error instanceof GantryError)) throw error;
    const field = error.field?.startsWith("spec") ? error.field.replace(/^spec/, "config.base") : "config.base.dataset";
    throw new GantryError(error.code, error.message.replace(/^spec/, "config.base"), { field, cause: error });
  }
}

/**
 * Submits a sweep: the config is validated (INVALID_INPUT naming the field), its trials expanded
 * and each trial's spec validated against the dataset, all before anything is stored. Then, in
 * one transaction: the sweep job (running, as its first trials are queued at once), its parent
 * run, and the first `concurrency` trials (submitted by the caller, as later ones are by the worker).
 */
export async function submitSweep(ctx: OrgContext, raw: SweepConfigInput) {
  const { config } = parseInput(ZSubmitSweepInput, { config: raw });
  const trials = expandTrials(config);
  const pinned = await pinBase(ctx, config.base);
  const base = { ...config.base, dataset: { name: pinned.dataset.name, version: pinned.dataset.version } };
  const paths = Object.keys(config.parameters);
  // Trials on the base's dataset version are checked against it without another lookup each.
  const baseVersion = await resolveDatasetVersion(ctx, base.dataset);
  for (const values of trials) {
    await pinTrainingSpec(ctx, withTrialValues(base, values), baseVersion).catch((error: unknown) => {
      throw error instanceof GantryError ? trialError(error, paths, values) : error;
    });
  }
  const id = newId();
  const name = config.name ?? `sweep-${id.slice(-8)}`;
  const spec: StoredSweepSpec = { ...config, name, base, trials };
  const dataset = `${pinned.dataset.name}@${pinned.dataset.version}`;
  const row = await mutate(
    ctx,
    { action: "job.submit", targetType: "job", targetId: id, data: { kind: "sweep", method: config.method, trials: trials.length, dataset } },
    async (tx) => {
      const c = { ...ctx, db: tx };
      const run = await createRun(c, {
        experimentId: await experimentIdByName(c, base.experiment),
        name,
        source: "gantry-sweep",
        tags: [
          { key: "gantry.sweep", value: "true" },
          { key: "gantry.job_id", value: id },
          { key: "gantry.dataset", value: dataset },
        ],
      });
      const params = [
        ...Object.entries(config.parameters).map(([key, p]) => ({ key, value: describeParameter(p) })),
        ...Object.entries({ sweep_method: config.method, sweep_metric: config.metric, sweep_goal: config.goal, sweep_trials: trials.length, sweep_concurrency: config.concurrency, sweep_seed: config.seed }).map(
          ([key, value]) => ({ key, value: String(value) }),
        ),
      ];
      await logBatch(c, run.info.id, { params });
      const progress: JobProgress = { fraction: 0, done: 0, total: trials.length };
      const [sweep] = await tx
        .insert(jobs)
        .values({ id, orgId: ctx.orgId, kind: "sweep", status: "running", spec, progress, runId: run.info.id, createdBy: creatorOf(ctx), startedAt: new Date() })
        .returning();
      if (!sweep) throw new GantryError("INTERNAL", "Sweep not created");
      const message = `Sweep '${name}': ${config.method} search over ${paths.join(", ")} on ${dataset}, ${trials.length} trials, ${config.concurrency} at a time; best by ${config.metric} (${config.goal})`;
      await tx.insert(jobLogs).values({ orgId: ctx.orgId, jobId: id, message });
      await advanceLockedSweep(c, sweep);
      return jobRow(c, id);
    },
  );
  return toJob(row);
}

/** A sweep with each trial's values, job status and run metrics, and its best trial so far (the portal's sweep page). */
export async function getSweep(ctx: OrgContext, jobId: string): Promise<SweepView> {
  const sweep = await jobRow(ctx, jobId);
  const spec = sweepSpecOf(sweep);
  const latest = latestByTrial(await sweepChildren(ctx.db, sweep.id));
  const metrics = await runMetrics(
    ctx.db,
    [...latest.values()].flatMap((c) => (c.runId ? [c.runId] : [])),
  );
  const trials: SweepTrial[] = spec.trials.map((values, index) => {
    const child = latest.get(index);
    return {
      index,
      values,
      status: child?.status ?? "pending",
      jobId: child?.id ?? null,
      runId: child?.runId ?? null,
      metrics: (child?.runId && metrics.get(child.runId)) || {},
      error: child?.error ?? null,
    };
  });
  return {
    sweep: toJob(sweep),
    method: spec.method,
    parameters: Object.keys(spec.parameters),
    metric: spec.metric,
    goal: spec.goal,
    concurrency: spec.concurrency,
    trials,
    best: pickBest(spec, latest, metrics),
  };
}
