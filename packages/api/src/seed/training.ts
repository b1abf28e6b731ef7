import type { TrainingSpecInput } from "@gantry/schema";
import { GantryError } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { createDatasetVersion, datasetByName } from "../datasets";
import { submitTrainingJob } from "../jobs/submit";
import { createMonitor } from "../monitoring";
import { createRegisteredModel } from "../registry";
import { createRetrainPolicy } from "../retraining";
import { createEndpoint } from "../serving";
import { cardFraudCsv, housePricesCsv } from "./synthetic";

export const DEMO_DATASETS = { fraud: "card-fraud", houses: "house-prices" } as const;
export const DEMO_TRAINING_EXPERIMENT = "Demo: trained on the worker";
/** The fraud model's training spec: the first job's, and the retraining policy's template. */
export const DEMO_FRAUD_SPEC = {
  dataset: { name: DEMO_DATASETS.fraud },
  target: "is_fraud",
  task: "binary",
  features: ["amount", "hour", "merchant_category", "country", "card_present", "distance_from_home_km", "tx_last_24h", "avg_amount_30d", "account_age_days", "device"],
  split: { kind: "time", column: "transaction_time", validation: 0.1, test: 0.2 },
  model: { hiddenLayers: [64, 32], dropout: 0.1 },
  epochs: 15,
  earlyStopping: { patience: 4 },
} satisfies TrainingSpecInput;

/** The demo endpoint: the fraud job deploys its model here, and it follows `card-fraud@champion` from then on. */
export const DEMO_ENDPOINT = "fraud";

const exists = (ctx: OrgContext, name: string) =>
  datasetByName(ctx, name).then(
    () => true,
    (error: unknown) => {
      if (error instanceof GantryError && error.code === "NOT_FOUND") return false;
      throw error;
    },
  );

/**
 * Two synthetic datasets (card fraud: binary, ~20k rows, numeric and categorical features; house
 * prices: regression, sold in date order) and a first training job on each. The jobs are queued
 * here and trained by the worker once it starts, so the portal shows real runs on first start. The
 * fraud job registers `card-fraud@champion` and deploys it on the `fraud` endpoint.
 * Skipped when the fraud dataset already exists (a restart adds nothing).
 */
export async function seedTrainingDemo(ctx: OrgContext, store: ArtifactStore): Promise<void> {
  if (await exists(ctx, DEMO_DATASETS.fraud)) return;
  await createDatasetVersion(ctx, store, {
    name: DEMO_DATASETS.houses,
    body: housePricesCsv(),
    fileName: "house-prices.csv",
    description: "Synthetic house sales 2022–2025: size, rooms, age, lot, neighbourhood, garage, condition, distance → price.",
    maxBytes: 64 << 20,
  });
  await createDatasetVersion(ctx, store, {
    name: DEMO_DATASETS.fraud,
    body: cardFraudCsv(),
    fileName: "card-fraud.csv",
    description: "Synthetic card transactions with a rare fraud label (~4%): amount, time, merchant, country, card presence, distance, activity, account age, device.",
    maxBytes: 64 << 20,
  });
  await createEndpoint(ctx, {
    name: DEMO_ENDPOINT,
    description: "Scores card transactions for fraud (serves card-fraud@champion; redeploys when the alias moves).",
    followAlias: "champion",
  });
  await submitTrainingJob(ctx, { ...DEMO_FRAUD_SPEC, experiment: DEMO_TRAINING_EXPERIMENT, runName: "fraud-mlp-64-32", register: { model: "card-fraud", alias: "champion", deploy: DEMO_ENDPOINT } });
  // Monitoring closes the loop: a drift monitor on the endpoint, and a policy that retrains when it fires.
  await createRegisteredModel(ctx, { name: "card-fraud", description: "Card fraud scorer, trained on the worker (demo)." });
  await createMonitor(ctx, { endpoint: DEMO_ENDPOINT, name: "fraud-inputs", kind: "data_drift", severity: "critical", config: { windowMinutes: 10, everyMinutes: 1, minRows: 200, driftShare: 0.5, distanceThreshold: 0.1 } });
  await createRetrainPolicy(ctx, {
    name: "fraud-retrain",
    model: "card-fraud",
    endpoint: DEMO_ENDPOINT,
    triggers: ["data_drift", "manual"],
    spec: { ...DEMO_FRAUD_SPEC, experiment: "Demo: retraining" },
    gate: { metric: "test_roc_auc", direction: "higher", margin: 0 },
    rollout: { steps: [25, 100], everyRequests: 150, minRequests: 50, maxErrorRate: 0.05, maxP99Ms: 1_000 },
    cooldownMinutes: 30,
  });
  await submitTrainingJob(ctx, {
    dataset: { name: DEMO_DATASETS.houses },
    target: "price",
    task: "regression",
    split: { kind: "time", column: "sold_at", validation: 0.1, test: 0.2 },
    model: { hiddenLayers: [32, 16] },
    learningRate: 0.003,
    epochs: 30,
    earlyStopping: { patience: 5 },
    experiment: DEMO_TRAINING_EXPERIMENT,
    runName: "house-prices-mlp-32-16",
    register: { model: "house-prices", alias: "champion" },
  });
}
