import { Readable } from "node:stream";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { putRunArtifact } from "../tracking/artifacts";
import { createExperiment } from "../tracking/experiments";
import { logBatch } from "../tracking/logging";
import { createRun, updateRun } from "../tracking/runs";
import { searchExperiments } from "../tracking/experiment-search";
import { seededRandom } from "../random";

export const DEMO_EXPERIMENT = "Demo: fraud model";

const configs = [
  { name: "baseline-logreg", lr: 0.05, layers: "[]", dropout: 0, quality: 0.86 },
  { name: "mlp-64-32", lr: 0.01, layers: "[64,32]", dropout: 0.1, quality: 0.93 },
  { name: "mlp-128-64", lr: 0.005, layers: "[128,64]", dropout: 0.2, quality: 0.95 },
  { name: "mlp-128-64-lr-high", lr: 0.05, layers: "[128,64]", dropout: 0.2, quality: 0.9 },
];

/** An experiment with a few runs and learning curves, so the portal shows charts at once. */
export async function seedTrackingDemo(ctx: OrgContext, store?: ArtifactStore): Promise<boolean> {
  const existing = await searchExperiments(ctx, { filter: `name = '${DEMO_EXPERIMENT}'`, viewType: "ALL" });
  if (existing.experiments.length) return false;
  const experiment = await createExperiment(ctx, { name: DEMO_EXPERIMENT, description: "Card-fraud classifiers: a logistic baseline and MLPs." });
  const random = seededRandom(42);
  const start = Date.UTC(2026, 10, 20, 9, 0, 0);
  for (const [i, c] of configs.entries()) {
    const t0 = start + i * 3_600_000;
    const run = await createRun(ctx, { experimentId: experiment.id, name: c.name, startTime: t0, tags: [{ key: "team", value: "risk" }], source: "seed" });
    const epochs = 60;
    const metrics = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const progress = 1 - Math.exp(-(epoch + 1) / (8 + c.lr * 100));
      const noise = () => (random() - 0.5) * 0.02;
      const loss = 0.69 * (1 - progress) + (1 - c.quality) * 0.8 + noise();
      const ts = t0 + epoch * 20_000;
      metrics.push(
        { key: "loss", value: loss, timestamp: ts, step: epoch },
        { key: "val_loss", value: loss * 1.08 + Math.max(0, epoch - 40) * 0.002 * (c.dropout ? 0.3 : 1) + noise(), timestamp: ts, step: epoch },
        { key: "val_auc", value: 0.5 + (c.quality - 0.5) * progress + noise(), timestamp: ts, step: epoch },
      );
    }
    const end = t0 + epochs * 20_000;
    metrics.push({ key: "test_auc", value: c.quality + (random() - 0.5) * 0.01, timestamp: end, step: epochs }, { key: "test_accuracy", value: 0.97 + (c.quality - 0.86) * 0.2, timestamp: end, step: epochs });
    await logBatch(ctx, run.info.id, {
      params: [
        { key: "learning_rate", value: String(c.lr) },
        { key: "hidden_layers", value: c.layers },
        { key: "dropout", value: String(c.dropout) },
        { key: "epochs", value: String(epochs) },
        { key: "batch_size", value: "256" },
      ],
      metrics,
    });
    if (store) {
      const summary = JSON.stringify({ run: c.name, test_auc: c.quality, hidden_layers: JSON.parse(c.layers) as number[] }, null, 2);
      await putRunArtifact(ctx, { runId: run.info.id, path: "summary.json", body: Readable.from([Buffer.from(summary)]), contentType: "application/json", store, maxBytes: 1 << 20 });
    }
    await updateRun(ctx, run.info.id, { status: "FINISHED", endTime: end });
  }
  return true;
}
