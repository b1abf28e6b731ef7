import type { TrainingArtifact } from "@gantry/api/jobs";
import type { EpochReport, TrainResult } from "@gantry/ml";
import type { JobProgress } from "@gantry/schema";

const json = (path: string, value: unknown): TrainingArtifact => ({ path, bytes: new TextEncoder().encode(JSON.stringify(value, null, 2)), contentType: "application/json" });

/**
 * The files a training run keeps: the pipeline (what serving loads), its signature, the reference
 * profile monitoring compares traffic with, the evaluation on the test split, and a sample of
 * test rows with their predictions, so a reload can be checked to predict the same.
 */
export function trainingArtifacts(result: TrainResult): TrainingArtifact[] {
  return [
    { path: "model/pipeline.json", bytes: result.pipeline, contentType: "application/json" },
    json("model/signature.json", result.signature),
    json("reference_profile.json", result.reference),
    ...(result.confusionMatrix ? [json("evaluation/confusion_matrix.json", result.confusionMatrix)] : []),
    ...(result.rocCurve ? [json("evaluation/roc_curve.json", result.rocCurve)] : []),
    json("evaluation/sample_predictions.json", result.sample),
    json("evaluation/history.json", result.history),
  ];
}

/** Progress is JSON: NaN and ±Infinity (a diverged loss) would turn into null there; the run keeps them. */
export const finiteOnly = (metrics: Record<string, number>) => Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v)));

/** The job's final progress and its `result`. */
export function trainingSummary(result: TrainResult, last: EpochReport | undefined): { progress: JobProgress; result: Record<string, unknown> } {
  const epochs = last?.epochs ?? result.history.length;
  return {
    progress: { fraction: 1, epoch: last?.epoch ?? result.history.length, epochs, etaMs: 0, ...(last ? { metrics: finiteOnly(last.metrics) } : {}) },
    result: {
      task: result.task,
      backend: result.backend,
      epochsRun: result.history.length,
      bestEpoch: result.bestEpoch,
      testMetrics: result.testMetrics,
      splitSizes: result.splitSizes,
    },
  };
}
