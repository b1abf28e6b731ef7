import { GantryError } from "@gantry/schema/errors";

import { tf } from "../tf";
import type { PassthroughPreprocessing } from "./passthrough";
import { createPassthroughPredictor } from "./passthrough";
import { createPredictor } from "./predictor";
import type { Preprocessing } from "./preprocess";
import type { Prediction, Row, Signature } from "./types";

/*
 * The pipeline artifact: one JSON document holding the signature, the preprocessing state, the
 * network topology (as tfjs saves it) and its weights (base64 of the float32 bytes, so a reload
 * computes bit for bit what the trained model did). An uploaded model (`wrapTfjsModel`) has
 * `preprocessing.kind: "passthrough"`; a trained one has no `kind`, so its bytes are unchanged.
 */

export const pipelineFormat = "gantry.pipeline";
export const pipelineFormatVersion = 1;

export type PipelineDocument = {
  format: typeof pipelineFormat;
  formatVersion: number;
  tfjsVersion: string;
  signature: Signature;
  preprocessing: Preprocessing | PassthroughPreprocessing;
  model: { topology: object; weightSpecs: tf.io.WeightsManifestEntry[]; weights: string };
};

export type LoadedPipeline = {
  signature: Signature;
  predict(rows: Row[]): Prediction[];
  dispose(): void;
};

export async function serializePipeline({
  model,
  preprocessing,
  signature,
}: {
  model: tf.LayersModel;
  preprocessing: Preprocessing | PassthroughPreprocessing;
  signature: Signature;
}): Promise<Uint8Array> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save({
    save: async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    },
  });
  if (!saved?.modelTopology || !saved.weightSpecs || !saved.weightData) throw new Error("the model saved no topology or weights");
  const weights = Array.isArray(saved.weightData) ? tf.io.CompositeArrayBuffer.join(saved.weightData) : saved.weightData;
  const document: PipelineDocument = {
    format: pipelineFormat,
    formatVersion: pipelineFormatVersion,
    tfjsVersion: tf.version.tfjs,
    signature,
    preprocessing,
    model: { topology: saved.modelTopology as object, weightSpecs: saved.weightSpecs, weights: Buffer.from(weights).toString("base64") },
  };
  return new TextEncoder().encode(JSON.stringify(document));
}

export function readPipelineDocument(bytes: Uint8Array): PipelineDocument {
  let document: Partial<PipelineDocument>;
  try {
    document = JSON.parse(new TextDecoder().decode(bytes)) as Partial<PipelineDocument>;
  } catch {
    throw new GantryError("INVALID_INPUT", "not a Gantry pipeline: the artifact is not JSON", { field: "pipeline" });
  }
  if (document.format !== pipelineFormat || !document.model || !document.preprocessing || !document.signature) {
    throw new GantryError("INVALID_INPUT", "not a Gantry pipeline: format marker or sections missing", { field: "pipeline" });
  }
  if (typeof document.formatVersion !== "number" || document.formatVersion > pipelineFormatVersion) {
    throw new GantryError(
      "INVALID_INPUT",
      `pipeline format version ${String(document.formatVersion)} is newer than this code reads (${pipelineFormatVersion})`,
      { field: "pipeline" },
    );
  }
  const kind = (document.preprocessing as { kind?: unknown }).kind;
  if (kind !== undefined && kind !== "passthrough") {
    throw new GantryError("INVALID_INPUT", `pipeline preprocessing '${String(kind)}' is not one this code reads`, { field: "pipeline" });
  }
  return document as PipelineDocument;
}

/** Rebuilds a pipeline from its artifact; `dispose` frees the network's tensors. */
export async function loadPipeline(bytes: Uint8Array): Promise<LoadedPipeline> {
  const document = readPipelineDocument(bytes);
  const { topology, weightSpecs, weights } = document.model;
  const buffer = Buffer.from(weights, "base64");
  const weightData = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  const model = await tf.loadLayersModel({ load: async () => ({ modelTopology: topology, weightSpecs, weightData }) });
  const { preprocessing } = document;
  const predict = "kind" in preprocessing ? createPassthroughPredictor({ model, preprocessing }) : createPredictor({ model, preprocessing });
  return {
    signature: document.signature,
    predict,
    dispose: () => model.dispose(),
  };
}
