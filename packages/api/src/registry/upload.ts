import type { ModelVersion } from "@gantry/schema";
import { ZUploadModelFields } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { toModelVersion } from "./lookup";
import { insertNextVersion } from "./next-version";

export type UploadModelInput = {
  /** The registered model; created when missing. */
  name: string;
  /** `model.json` as `model.save()` writes it (topology + weightsManifest), parsed. */
  modelJson: unknown;
  /** The weights files of the manifest, concatenated in manifest order. */
  weights: Uint8Array;
  /** `{ inputs: [{ name, type }], task, target?, labels? }` (see `ZUploadedModelSignature`). */
  signature: unknown;
  description?: string;
};

/**
 * Registers an uploaded TensorFlow.js LayersModel as the next version of `name`. The model is
 * wrapped into a passthrough pipeline (checked against its signature on the way), so the version
 * is served like a trained one; it has no source run or dataset version, and no metrics.
 */
export async function registerUploadedModel(ctx: OrgContext, store: ArtifactStore, input: UploadModelInput): Promise<ModelVersion> {
  const fields = parseInput(ZUploadModelFields, { name: input.name, description: input.description });
  // TensorFlow.js loads only when a model is uploaded, not with every registry read.
  // The wrap entry only: it loads no backend module (no optional tfjs-node import, no wasm) into the web bundle.
  const { wrapTfjsModel } = await import("@gantry/ml/wrap");
  const { pipeline, signature } = await wrapTfjsModel({ modelJson: input.modelJson, weights: input.weights, signature: input.signature });
  const stored = await store.put(
    (async function* () {
      yield pipeline;
    })(),
  );
  const { row, model } = await insertNextVersion(ctx, {
    name: fields.name,
    sourceRunId: null,
    datasetVersionId: null,
    pipeline: stored,
    signature,
    metrics: {},
    description: fields.description ?? null,
    audit: { source: "upload", pipelineSha256: stored.sha256 },
  });
  return toModelVersion(row, model.name, []);
}
