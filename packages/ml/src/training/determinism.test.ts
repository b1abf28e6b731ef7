import { beforeAll, describe, expect, it } from "vitest";

import { selectBackend } from "../backend";
import { binaryTable, specFor } from "../testing/tables";
import { trainPipeline } from "./train-pipeline";
import type { TrainResult } from "./types";

beforeAll(async () => {
  await selectBackend();
});

const withoutTimes = (result: TrainResult) => result.history.map((h) => h.metrics);

describe("determinism", () => {
  it("the same spec and seed give the same metrics and the same artifact; another seed does not", async () => {
    // Dropout, L2 and class weights on: every random choice must follow the seed.
    const spec = (seed: number) =>
      specFor({ target: "label", seed, epochs: 4, batchSize: 32, learningRate: 0.01, model: { hiddenLayers: [8, 8], dropout: 0.3, l2: 0.001 }, classWeights: "balanced" });
    const table = binaryTable(200);
    const a = await trainPipeline({ spec: spec(11), table });
    const b = await trainPipeline({ spec: spec(11), table });
    const c = await trainPipeline({ spec: spec(12), table });

    expect(b.testMetrics).toEqual(a.testMetrics);
    expect(withoutTimes(b)).toEqual(withoutTimes(a));
    expect(Buffer.from(b.pipeline).equals(Buffer.from(a.pipeline))).toBe(true);
    expect(c.testMetrics).not.toEqual(a.testMetrics);
  });
});
