import { GantryError } from "@gantry/schema";
import { beforeAll, describe, expect, it } from "vitest";

import { selectBackend, tf } from "../backend";
import { loadPipeline } from "./serialize";
import { wrapTfjsModel } from "./wrap";

beforeAll(async () => {
  await selectBackend();
});

/** What `model.save()` gives an uploader: model.json (topology + weightsManifest) and the concatenated weights. */
async function savedModel(model: tf.LayersModel): Promise<{ modelJson: tf.io.ModelJSON; weights: Uint8Array }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save({
    save: async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    },
  });
  if (!saved?.modelTopology || !saved.weightSpecs || !saved.weightData) throw new Error("nothing saved");
  const data = Array.isArray(saved.weightData) ? tf.io.CompositeArrayBuffer.join(saved.weightData) : saved.weightData;
  return {
    modelJson: { modelTopology: saved.modelTopology as object, weightsManifest: [{ paths: ["weights.bin"], weights: saved.weightSpecs }], format: "layers-model" },
    weights: new Uint8Array(data),
  };
}

function denseModel({ inputs, units, activation }: { inputs: number; units: number; activation: "sigmoid" | "softmax" | "linear" }) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 4, inputShape: [inputs], activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  model.add(tf.layers.dense({ units, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  return model;
}

const rows = [
  { a: 0.5, b: -1, on: true },
  { a: "2", b: 3.25, on: false },
  { a: -4, b: 0, on: "true" },
];
const matrix = [
  [0.5, -1, 1],
  [2, 3.25, 0],
  [-4, 0, 1],
];
const inputs = [
  { name: "a", type: "numeric" },
  { name: "b", type: "numeric" },
  { name: "on", type: "boolean" },
] as const;

const modelOutputs = (model: tf.LayersModel) => tf.tidy(() => (model.predict(tf.tensor2d(matrix)) as tf.Tensor).arraySync() as number[][]);

async function expectInvalid(p: Promise<unknown>, field: string, pattern: RegExp) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GantryError);
  expect((error as GantryError).code).toBe("INVALID_INPUT");
  expect((error as GantryError).field).toBe(field);
  expect((error as GantryError).message).toMatch(pattern);
}

describe("wrapTfjsModel", () => {
  it("wraps a binary sigmoid model: the loaded pipeline predicts what the model does", async () => {
    const model = denseModel({ inputs: 3, units: 1, activation: "sigmoid" });
    const { modelJson, weights } = await savedModel(model);
    const { pipeline: bytes } = await wrapTfjsModel({ modelJson, weights, signature: { inputs, task: "binary", target: "churned", labels: ["stay", "leave"] } });
    expect(JSON.parse(new TextDecoder().decode(bytes))).toMatchObject({ format: "gantry.pipeline", preprocessing: { kind: "passthrough" } });
    const loaded = await loadPipeline(bytes);
    expect(loaded.signature).toEqual({ inputs: inputs.map((i) => ({ ...i, required: true })), task: "binary", target: "churned", labels: ["stay", "leave"] });
    const expected = modelOutputs(model);
    loaded.predict(rows).forEach((p, i) => {
      const positive = expected[i]?.[0] ?? NaN;
      expect(p).toEqual({ label: positive > 0.5 ? "leave" : "stay", probabilities: { stay: 1 - positive, leave: positive } });
    });
    loaded.dispose();
    model.dispose();
  });

  it("wraps binary softmax (2 units), multiclass and regression models", async () => {
    const cases = [
      { units: 2, activation: "softmax", signature: { inputs, task: "binary" } },
      { units: 3, activation: "softmax", signature: { inputs, task: "multiclass", labels: ["r", "g", "b"] } },
      { units: 1, activation: "linear", signature: { inputs, task: "regression" } },
    ] as const;
    for (const { units, activation, signature } of cases) {
      const model = denseModel({ inputs: 3, units, activation });
      const { modelJson, weights } = await savedModel(model);
      const loaded = await loadPipeline((await wrapTfjsModel({ modelJson, weights, signature })).pipeline);
      const expected = modelOutputs(model);
      const predictions = loaded.predict(rows);
      predictions.forEach((p, i) => {
        const out = expected[i] ?? [];
        if (signature.task === "regression") expect(p).toEqual({ value: out[0] });
        else if (signature.task === "binary") expect(p).toEqual({ label: (out[1] ?? 0) > 0.5 ? "1" : "0", probabilities: { "0": 1 - (out[1] ?? 0), "1": out[1] } });
        else expect(p).toMatchObject({ probabilities: { r: out[0], g: out[1], b: out[2] } });
      });
      expect(loaded.signature.target).toBe("prediction");
      loaded.dispose();
      model.dispose();
    }
  });

  it("refuses missing or non-numeric inputs at predict time, naming the column", async () => {
    const model = denseModel({ inputs: 3, units: 1, activation: "linear" });
    const loaded = await loadPipeline((await wrapTfjsModel({ ...(await savedModel(model)), signature: { inputs, task: "regression" } })).pipeline);
    expect(() => loaded.predict([{ a: 1, on: true }])).toThrow(/input 'b' is missing/);
    expect(() => loaded.predict([{ a: "high", b: 1, on: true }])).toThrow(/input 'a' must be a number/);
    expect(() => loaded.predict([{ a: 1, b: 1, on: "maybe" }])).toThrow(/input 'on' must be true or false/);
    loaded.dispose();
    model.dispose();
  });

  it("refuses a bad signature, naming it", async () => {
    const model = denseModel({ inputs: 3, units: 1, activation: "sigmoid" });
    const saved = await savedModel(model);
    await expectInvalid(wrapTfjsModel({ ...saved, signature: { inputs: [{ name: "c", type: "categorical" }], task: "binary" } }), "signature", /categorical inputs are not supported/);
    await expectInvalid(wrapTfjsModel({ ...saved, signature: { inputs, task: "ranking" } }), "signature", /task must be binary, multiclass or regression/);
    await expectInvalid(wrapTfjsModel({ ...saved, signature: { inputs, task: "multiclass" } }), "signature", /needs its labels/);
    await expectInvalid(wrapTfjsModel({ ...saved, signature: { inputs: inputs.slice(0, 2), task: "binary" } }), "signature", /lists 2 inputs, the model takes 3/);
    model.dispose();
  });

  it("refuses a model that does not load or does not fit the task, naming it", async () => {
    const sigmoid = denseModel({ inputs: 3, units: 1, activation: "sigmoid" });
    const saved = await savedModel(sigmoid);
    await expectInvalid(wrapTfjsModel({ modelJson: { weightsManifest: [] }, weights: saved.weights, signature: { inputs, task: "binary" } }), "model", /no modelTopology/);
    await expectInvalid(wrapTfjsModel({ ...saved, weights: saved.weights.subarray(4), signature: { inputs, task: "binary" } }), "weights", /the manifest describes \d+ bytes/);
    await expectInvalid(
      wrapTfjsModel({ modelJson: { ...saved.modelJson, modelTopology: { class_name: "Nope", config: {} } }, weights: saved.weights, signature: { inputs, task: "binary" } }),
      "model",
      /does not load/,
    );
    const linear = denseModel({ inputs: 3, units: 1, activation: "linear" });
    await expectInvalid(wrapTfjsModel({ ...(await savedModel(linear)), signature: { inputs, task: "binary" } }), "model", /1 sigmoid unit or 2 softmax units/);
    await expectInvalid(wrapTfjsModel({ ...saved, signature: { inputs, task: "multiclass", labels: ["a", "b", "c"] } }), "model", /one output unit per label \(3\)/);
    const wide = denseModel({ inputs: 3, units: 2, activation: "softmax" });
    await expectInvalid(wrapTfjsModel({ ...(await savedModel(wide)), signature: { inputs, task: "regression" } }), "model", /regression model has 1 output unit/);
    for (const m of [sigmoid, linear, wide]) m.dispose();
  });
});
