import { GantryError } from "@gantry/schema";
import { beforeAll, describe, expect, it } from "vitest";

import { selectBackend, tf } from "../backend";
import { binaryTable, regressionTable, specFor } from "../testing/tables";
import { loadPipeline, pipelineFormatVersion } from "./serialize";
import { trainPipeline } from "./train-pipeline";

beforeAll(async () => {
  await selectBackend();
});

const spec = (target: string) => specFor({ target, epochs: 3, batchSize: 64, learningRate: 0.01, model: { hiddenLayers: [8] } });

describe("pipeline artifact", () => {
  it("reloads to predict exactly what the trained pipeline predicted", async () => {
    for (const [table, target] of [
      [binaryTable(200), "label"],
      [regressionTable(200), "y"],
    ] as const) {
      const result = await trainPipeline({ spec: spec(target), table });
      const loaded = await loadPipeline(result.pipeline);
      expect(loaded.signature).toEqual(result.signature);
      expect(loaded.predict(result.sample.rows)).toEqual(result.sample.predictions);
      loaded.dispose();
    }
  });

  it("predicts from raw rows: unseen categories, missing and extra fields, JSON-ish values", async () => {
    const result = await trainPipeline({ spec: spec("label"), table: binaryTable(200) });
    const loaded = await loadPipeline(result.pipeline);
    const before = tf.memory().numTensors;
    const predictions = loaded.predict([
      { x1: 0.5, x2: -1, color: "red", flag: true },
      { x1: 0.5, x2: null, color: "purple", flag: false, extra: "ignored" },
      { x1: "0.5", color: null, flag: "true" },
    ]);
    expect(tf.memory().numTensors).toBe(before);
    expect(predictions).toHaveLength(3);
    for (const p of predictions) {
      if (!("probabilities" in p)) throw new Error("expected a classification");
      expect(["no", "yes"]).toContain(p.label);
      expect(p.label).toBe((p.probabilities.yes ?? 0) > 0.5 ? "yes" : "no");
    }
    expect(loaded.predict([])).toEqual([]);
    expect(() => loaded.predict([{ x1: "high", x2: 0, color: "red", flag: true }])).toThrow(GantryError);
    loaded.dispose();
  });

  it("rejects bytes that are not a pipeline, or from a newer format", async () => {
    await expect(loadPipeline(new TextEncoder().encode("not json"))).rejects.toThrow("not a Gantry pipeline");
    await expect(loadPipeline(new TextEncoder().encode('{"format":"other"}'))).rejects.toThrow("not a Gantry pipeline");
    const result = await trainPipeline({ spec: spec("label"), table: binaryTable(100) });
    const document = JSON.parse(new TextDecoder().decode(result.pipeline)) as { formatVersion: number };
    document.formatVersion = pipelineFormatVersion + 1;
    await expect(loadPipeline(new TextEncoder().encode(JSON.stringify(document)))).rejects.toThrow(/is newer than this code reads/);
  });
});
