import { selectBackend, tf } from "@gantry/ml";

export type TfjsModelFiles = { modelJson: tf.io.ModelJSON; weights: Uint8Array };

/**
 * What an uploader holds after `model.save()`: model.json (topology + weightsManifest) and the
 * concatenated weights, of a tiny seeded dense model (3 inputs, `units` outputs).
 */
export async function tinyTfjsModel({ units = 1, activation = "sigmoid" }: { units?: number; activation?: "sigmoid" | "softmax" | "linear" } = {}): Promise<TfjsModelFiles> {
  await selectBackend();
  const model = tf.sequential();
  model.add(tf.layers.dense({ units, inputShape: [3], activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }));
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save({
    save: async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    },
  });
  model.dispose();
  if (!saved?.modelTopology || !saved.weightSpecs || !saved.weightData) throw new Error("the model saved nothing");
  const data = Array.isArray(saved.weightData) ? tf.io.CompositeArrayBuffer.join(saved.weightData) : saved.weightData;
  return {
    modelJson: { modelTopology: saved.modelTopology as object, weightsManifest: [{ paths: ["weights.bin"], weights: saved.weightSpecs }], format: "layers-model" },
    weights: new Uint8Array(data),
  };
}

/** A signature that fits `tinyTfjsModel()`. */
export const tinyModelSignature = {
  inputs: [
    { name: "a", type: "numeric" },
    { name: "b", type: "numeric" },
    { name: "on", type: "boolean" },
  ],
  task: "binary",
  labels: ["no", "yes"],
};
