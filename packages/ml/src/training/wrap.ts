import type { UploadedModelSignature } from "@gantry/schema";
import { ZUploadedModelSignature } from "@gantry/schema";
import { GantryError } from "@gantry/schema/errors";

import { tf } from "../tf";
import type { PassthroughPreprocessing } from "./passthrough";
import { serializePipeline } from "./serialize";
import type { Signature } from "./types";

/** The target name a signature gets when the uploader names none. */
export const defaultUploadedTarget = "prediction";

const modelError = (message: string) => new GantryError("INVALID_INPUT", `model: ${message}`, { field: "model" });

/**
 * Wraps an uploaded TensorFlow.js LayersModel (`model.json` as `model.save()` writes it, and its
 * weights concatenated in manifest order) into a Gantry pipeline with passthrough preprocessing,
 * so serving loads it with `loadPipeline` like a trained one. Returns the pipeline bytes and the
 * signature they carry. Checks that the model loads and
 * that its input and output widths fit the signature; INVALID_INPUT naming `signature`,
 * `model` or `weights` otherwise.
 */
export async function wrapTfjsModel({
  modelJson,
  weights,
  signature: rawSignature,
}: {
  modelJson: unknown;
  weights: Uint8Array;
  signature: unknown;
}): Promise<{ pipeline: Uint8Array; signature: Signature }> {
  const parsed = ZUploadedModelSignature.safeParse(rawSignature);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw new GantryError("INVALID_INPUT", `signature: ${where}${issue?.message ?? "invalid"}`, { field: "signature" });
  }
  const signature = parsed.data;
  // Whatever backend the process chose (the worker: wasm); elsewhere tfjs falls back to its cpu backend.
  await tf.ready();
  const model = await loadUploadedModel(modelJson, weights);
  try {
    const units = checkShapes(model, signature);
    const labels = signature.task === "regression" ? undefined : (signature.labels ?? ["0", "1"]);
    const preprocessing: PassthroughPreprocessing = {
      kind: "passthrough",
      inputs: signature.inputs.map(({ name, type }) => ({ name, type })),
      output: { task: signature.task, units, ...(labels ? { labels } : {}) },
    };
    const pipelineSignature: Signature = {
      inputs: signature.inputs.map(({ name, type }) => ({ name, type, required: true })),
      task: signature.task,
      target: signature.target ?? defaultUploadedTarget,
      ...(labels ? { labels } : {}),
    };
    return { pipeline: await serializePipeline({ model, preprocessing, signature: pipelineSignature }), signature: pipelineSignature };
  } finally {
    model.dispose();
  }
}

async function loadUploadedModel(modelJson: unknown, weights: Uint8Array): Promise<tf.LayersModel> {
  const json = modelJson as Partial<tf.io.ModelJSON> | null;
  if (!json || typeof json !== "object" || !json.modelTopology || typeof json.modelTopology !== "object") {
    throw modelError("model.json has no modelTopology (save a LayersModel with model.save())");
  }
  if (!Array.isArray(json.weightsManifest)) throw modelError("model.json has no weightsManifest");
  const weightSpecs = tf.io.getWeightSpecs(json.weightsManifest);
  const expected = weightSpecs.reduce((sum, spec) => sum + byteSize(spec), 0);
  if (expected !== weights.byteLength) {
    throw new GantryError("INVALID_INPUT", `weights: the manifest describes ${expected} bytes, the weights file has ${weights.byteLength}`, { field: "weights" });
  }
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const artifacts = tf.io.getModelArtifactsForJSONSync(json as tf.io.ModelJSON, weightSpecs, weightData);
  try {
    return await tf.loadLayersModel({ load: async () => artifacts });
  } catch (error) {
    throw modelError(`does not load as a TensorFlow.js LayersModel: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const dtypeBytes: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

function byteSize(spec: tf.io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const size = dtypeBytes[dtype];
  if (size === undefined) throw modelError(`weight '${spec.name}' has dtype ${dtype}, which is not supported`);
  return count * size;
}

/** The output width, after checking both widths against the signature. */
function checkShapes(model: tf.LayersModel, signature: UploadedModelSignature): number {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) throw modelError(`must have one input and one output, has ${model.inputs.length} and ${model.outputs.length}`);
  const inputShape = model.inputs[0]?.shape ?? [];
  const outputShape = model.outputs[0]?.shape ?? [];
  if (inputShape.length !== 2 || outputShape.length !== 2) throw modelError(`input and output must be [batch, width], are [${inputShape.join(", ")}] and [${outputShape.join(", ")}]`);
  const width = inputShape[1];
  if (width !== signature.inputs.length) {
    throw new GantryError("INVALID_INPUT", `signature: inputs lists ${signature.inputs.length} inputs, the model takes ${String(width)}`, { field: "signature" });
  }
  const units = outputShape[1] ?? 0;
  const activation = outputActivation(model);
  if (signature.task === "regression" && units !== 1) throw modelError(`a regression model has 1 output unit, this one has ${units}`);
  if (signature.task === "binary" && !((units === 1 && activation === "sigmoid") || (units === 2 && activation === "softmax"))) {
    throw modelError(`a binary model ends in 1 sigmoid unit or 2 softmax units, this one has ${units} (${activation ?? "unknown activation"})`);
  }
  if (signature.task === "multiclass" && units !== signature.labels?.length) {
    throw modelError(`a multiclass model has one output unit per label (${signature.labels?.length ?? 0}), this one has ${units}`);
  }
  return units;
}

/** The activation of the last layer (a Dense layer's own, or an Activation layer's). */
function outputActivation(model: tf.LayersModel): string | undefined {
  const last = model.layers[model.layers.length - 1];
  const activation = last?.getConfig().activation;
  return typeof activation === "string" ? activation : undefined;
}
