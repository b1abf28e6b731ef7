import { and, asc, desc, eq, inArray } from "@gantry/db";
import { GantryError, latestMetrics, runParams, runs } from "@gantry/schema";
import type { Run } from "@gantry/schema";

import type { OrgContext } from "../context";
import { getRunsByIds } from "./runs";

export type RunComparison = {
  runs: Run[];
  /** Param keys whose values differ between the runs (or are missing in some). */
  differingParams: string[];
  metricKeys: string[];
};

/** Runs side by side: the param diff and the union of metric keys. */
export async function compareRuns(ctx: OrgContext, runIds: string[]): Promise<RunComparison> {
  if (runIds.length < 1 || runIds.length > 20) throw new GantryError("INVALID_INPUT", "Compare 1 to 20 runs", { field: "runIds" });
  const found = await getRunsByIds(ctx, runIds);
  if (found.length !== new Set(runIds).size) throw new GantryError("NOT_FOUND", "Some of these runs do not exist", { field: "runIds" });
  const keys = new Set(found.flatMap((r) => r.data.params.map((p) => p.key)));
  const differingParams = [...keys].filter((k) => new Set(found.map((r) => r.data.params.find((p) => p.key === k)?.value ?? "\u0000missing")).size > 1).sort();
  const metricKeys = [...new Set(found.flatMap((r) => r.data.metrics.map((m) => m.key)))].sort();
  return { runs: found, differingParams, metricKeys };
}

/** How many of the newest runs the column pickers look at: bounded cost at 100k runs. */
const KEY_SAMPLE_RUNS = 2000;

/**
 * Param and metric keys used in an experiment's newest runs: the column pickers of the runs
 * table. Keys only older runs used are still searchable and sortable by typing them.
 */
export async function experimentKeys(ctx: OrgContext, experimentId: string): Promise<{ params: string[]; metrics: string[] }> {
  const inExperiment = ctx.db
    .select({ id: runs.id })
    .from(runs)
    .where(and(eq(runs.orgId, ctx.orgId), eq(runs.experimentId, experimentId)))
    .orderBy(desc(runs.startTime))
    .limit(KEY_SAMPLE_RUNS);
  const [params, metrics] = await Promise.all([
    ctx.db.selectDistinct({ key: runParams.key }).from(runParams).where(and(eq(runParams.orgId, ctx.orgId), inArray(runParams.runId, inExperiment))).orderBy(asc(runParams.key)).limit(500),
    ctx.db.selectDistinct({ key: latestMetrics.key }).from(latestMetrics).where(and(eq(latestMetrics.orgId, ctx.orgId), inArray(latestMetrics.runId, inExperiment))).orderBy(asc(latestMetrics.key)).limit(500),
  ]);
  return { params: params.map((p) => p.key), metrics: metrics.map((m) => m.key) };
}
