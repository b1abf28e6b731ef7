import { buffer } from "node:stream/consumers";

import type PgBoss from "pg-boss";

import type { ArtifactStore } from "@gantry/api/artifacts";
import { readDatasetTable } from "@gantry/api/datasets";
import type { ScoreBoth } from "@gantry/api/retraining";
import { advanceRetrainRuns } from "@gantry/api/retraining";
import type { Database } from "@gantry/db";
import { eq } from "@gantry/db";
import { holdoutRows, loadPipeline, scorePipeline } from "@gantry/ml";
import { modelVersions } from "@gantry/schema";

export const RETRAIN_TICK_QUEUE = "retrain-tick";

/**
 * The gate's scoring: both pipelines on the challenger's holdout — the test split of the dataset
 * version it was trained on, drawn exactly as its training drew it — so the two are compared on
 * the same rows, none of which the challenger trained on.
 */
export function createGateScorer({ db, store }: { db: Database; store: ArtifactStore }): ScoreBoth {
  const pipelineOf = async (versionId: string) => {
    const [v] = await db.select({ sha256: modelVersions.pipelineSha256 }).from(modelVersions).where(eq(modelVersions.id, versionId));
    if (!v) throw new Error(`model version ${versionId} is gone`);
    return loadPipeline(await buffer(await store.get(v.sha256)));
  };
  return async ({ orgId, spec, datasetVersionId, championVersionId, challengerVersionId }) => {
    const ctx = { db, orgId, role: "owner" as const, actor: { type: "system" as const, label: "retraining gate" } };
    const table = await readDatasetTable(ctx, store, datasetVersionId);
    const rows = holdoutRows(spec, table);
    const [champion, challenger] = [await pipelineOf(championVersionId), await pipelineOf(challengerVersionId)];
    try {
      return { champion: scorePipeline(champion, rows, spec.target), challenger: scorePipeline(challenger, rows, spec.target), rows: rows.length };
    } finally {
      champion.dispose();
      challenger.dispose();
    }
  };
}

/** A pg-boss cron message every minute (one across all workers) moves every retraining run one step. */
export async function startRetrainTicks(boss: PgBoss, options: { db: Database; store: ArtifactStore; log: (msg: string) => void }) {
  const score = createGateScorer(options);
  await boss.createQueue(RETRAIN_TICK_QUEUE, { name: RETRAIN_TICK_QUEUE, retryLimit: 0, expireInSeconds: 600 });
  await boss.schedule(RETRAIN_TICK_QUEUE, "* * * * *");
  await boss.work(RETRAIN_TICK_QUEUE, { pollingIntervalSeconds: 5 }, async () => {
    const outcomes = await advanceRetrainRuns(options.db, score);
    for (const o of outcomes) if (!o.outcome.startsWith("waiting") && o.outcome !== "canary running") options.log(`retraining: run ${o.runId} ${o.outcome}`);
    return { runs: outcomes.length };
  });
}
