import type { ModelSignature } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { registerVersionFromRun } from "../registry/versions";
import { putRunArtifact } from "../tracking/artifacts";
import { logBatch } from "../tracking/logging";
import { createRun, updateRun } from "../tracking/runs";

const body = (text: string) =>
  (async function* () {
    yield new TextEncoder().encode(text);
  })();

/**
 * A FINISHED run that looks like a training run to the registry: a fake `model/pipeline.json`,
 * a `model/signature.json` and some metrics. No TensorFlow involved.
 */
export async function createFakeModelRun(
  ctx: OrgContext,
  store: ArtifactStore,
  options: { experimentId: string; signature?: ModelSignature; metrics?: Record<string, number>; pipeline?: string; finished?: boolean; withPipeline?: boolean; artifacts?: Record<string, string> },
): Promise<string> {
  const run = await createRun(ctx, { experimentId: options.experimentId });
  const runId = run.info.id;
  const metrics = options.metrics ?? { test_accuracy: 0.9 };
  await logBatch(ctx, runId, { metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: Date.now(), step: 0 })) });
  if (options.withPipeline !== false) {
    await putRunArtifact(ctx, { runId, path: "model/pipeline.json", body: body(options.pipeline ?? `{"format":"fake","run":"${runId}"}`), contentType: "application/json", store, maxBytes: 1 << 20 });
  }
  const signature = options.signature ?? { inputs: [{ name: "x1", type: "numeric", required: true }], task: "binary", target: "label", labels: ["no", "yes"] };
  await putRunArtifact(ctx, { runId, path: "model/signature.json", body: body(JSON.stringify(signature)), contentType: "application/json", store, maxBytes: 1 << 20 });
  for (const [path, text] of Object.entries(options.artifacts ?? {})) {
    await putRunArtifact(ctx, { runId, path, body: body(text), contentType: "application/json", store, maxBytes: 64 << 20 });
  }
  if (options.finished !== false) await updateRun(ctx, runId, { status: "FINISHED" });
  return runId;
}

/**
 * Registers a pipeline trained in the test (`trainPipeline`) as the next version of `name`, through
 * a FINISHED run holding its artifact and signature, as a training job would.
 */
export async function registerTrainedVersion(
  ctx: OrgContext,
  store: ArtifactStore,
  options: { experimentId: string; name: string; trained: { pipeline: Uint8Array; signature: unknown; testMetrics: Record<string, number>; reference?: unknown } },
) {
  const runId = await createFakeModelRun(ctx, store, {
    experimentId: options.experimentId,
    pipeline: new TextDecoder().decode(options.trained.pipeline),
    signature: options.trained.signature as ModelSignature,
    metrics: options.trained.testMetrics,
    // As a training job stores it: what monitoring compares traffic with.
    ...(options.trained.reference ? { artifacts: { "reference_profile.json": JSON.stringify(options.trained.reference) } } : {}),
  });
  return registerVersionFromRun(ctx, store, { name: options.name, runId });
}
