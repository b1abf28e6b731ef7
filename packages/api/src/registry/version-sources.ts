import { and, eq, inArray } from "@gantry/db";
import type { ModelVersion } from "@gantry/schema";
import { runs } from "@gantry/schema";

import type { OrgContext } from "../context";
import { runArtifactUri } from "../tracking/runs";
import { PIPELINE_PATH } from "./versions";

/** The run directory a version's pipeline came from (`model`). */
export const MODEL_ARTIFACT_DIR = PIPELINE_PATH.slice(0, PIPELINE_PATH.lastIndexOf("/"));

/**
 * Per version id, the artifact URI of the model directory of its run
 * (`mlflow-artifacts:/<experiment>/<run>/artifacts/model`, served by our artifact proxy).
 * Versions whose run is gone have none.
 */
export async function versionSourceUris(ctx: OrgContext, versions: ModelVersion[]): Promise<Map<string, string>> {
  const runIds = [...new Set(versions.flatMap((v) => (v.sourceRunId ? [v.sourceRunId] : [])))];
  if (!runIds.length) return new Map();
  const rows = await ctx.db
    .select({ id: runs.id, experimentId: runs.experimentId })
    .from(runs)
    .where(and(eq(runs.orgId, ctx.orgId), inArray(runs.id, runIds)));
  const byRun = new Map(rows.map((r) => [r.id, `${runArtifactUri(r.experimentId, r.id)}/${MODEL_ARTIFACT_DIR}`]));
  return new Map(versions.flatMap((v) => (v.sourceRunId && byRun.has(v.sourceRunId) ? [[v.id, byRun.get(v.sourceRunId) ?? ""] as const] : [])));
}
