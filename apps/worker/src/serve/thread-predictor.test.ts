import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { LoadedPipeline, Row } from "@gantry/ml";
import { loadPipeline, selectBackend, trainPipeline } from "@gantry/ml";
import { binaryTable, specFor } from "@gantry/ml/testing";

import type { ThreadPredictor } from "./thread-predictor";
import { createThreadPredictor, MAX_BATCH_ROWS } from "./thread-predictor";

/* The prediction thread batches the jobs that queue up: every job still gets exactly its own answer, or its own error. */

let bytes: Uint8Array;
let local: LoadedPipeline;
let thread: ThreadPredictor;
const table = binaryTable(300, 7);
const inputs = table.rows.map(({ label: _label, ...features }) => features);

beforeAll(async () => {
  await selectBackend();
  const trained = await trainPipeline({ spec: specFor({ target: "label", epochs: 2, batchSize: 64, learningRate: 0.01, model: { hiddenLayers: [8] } }), table });
  bytes = trained.pipeline;
  local = await loadPipeline(bytes);
  thread = createThreadPredictor({ log: () => undefined, name: "test-predict" });
  await thread.load("v1", bytes);
}, 120_000);
afterAll(async () => {
  local.dispose();
  await thread.close();
});

const close = (a: unknown, b: unknown) => expect(JSON.parse(JSON.stringify(a))).toEqual(JSON.parse(JSON.stringify(b)));

describe("prediction thread", () => {
  it("answers 200 concurrent jobs of 1–3 rows each with the predictions of exactly its rows", async () => {
    const jobs = Array.from({ length: 200 }, (_, i) => inputs.slice(i, i + 1 + (i % 3)));
    const answers = await Promise.all(jobs.map((rows) => thread.predict("v1", rows)));
    answers.forEach((answer, i) => {
      if (!("predictions" in answer)) throw new Error(`job ${i}: ${answer.error}`);
      expect(answer.predictions).toHaveLength(jobs[i]?.length ?? -1);
      close(answer.predictions, local.predict(jobs[i] ?? []));
    });
  });

  it("gives only the job with a bad row its error when the jobs around it were batched with it", async () => {
    const bad: Row[] = [{ ...inputs[0], x1: "not a number" }];
    expect(() => local.predict(bad)).toThrow();
    const jobs = [inputs.slice(0, 2), bad, inputs.slice(2, 5), inputs.slice(5, 6)];
    const answers = await Promise.all(jobs.map((rows) => thread.predict("v1", rows)));
    expect(answers.map((a) => ("error" in a ? "error" : "ok"))).toEqual(["ok", "error", "ok", "ok"]);
    const third = answers[2];
    close(third && "predictions" in third ? third.predictions : null, local.predict(jobs[2] ?? []));
  });

  it("splits a backlog larger than one model call into several, and a job of an unknown version errs alone", async () => {
    const big = Array.from({ length: 3 }, () => Array.from({ length: Math.ceil(MAX_BATCH_ROWS / 2) + 10 }, (_, i) => inputs[i % inputs.length] as Row));
    const answers = await Promise.all([...big.map((rows) => thread.predict("v1", rows)), thread.predict("v-missing", inputs.slice(0, 1))]);
    for (const [i, rows] of big.entries()) {
      const answer = answers[i];
      close(answer && "predictions" in answer ? answer.predictions : null, local.predict(rows));
    }
    expect(answers[3]).toMatchObject({ code: "NOT_LOADED" });
  });
});
