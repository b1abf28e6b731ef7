import { z } from "zod";

import { ZDatasetRef } from "./datasets";
import { ZAliasName, ZModelName } from "./registry";
import { ZEndpointName } from "./serving";

/*
 * The training spec: everything needed to reproduce a model (with the dataset version's content
 * hash, the seed and the backend). Strict objects: an unknown field is an error, not ignored.
 */

export const trainingTasks = ["binary", "multiclass", "regression"] as const;
export type TrainingTask = (typeof trainingTasks)[number];
export const activations = ["relu", "tanh", "sigmoid", "elu", "selu", "linear"] as const;
export const optimizers = ["adam", "sgd", "rmsprop", "adagrad"] as const;

const ZFraction = (field: string, max: number) =>
  z.number({ error: `${field} must be a number` }).min(0, { error: `${field} must be ≥ 0` }).max(max, { error: `${field} must be ≤ ${max}` });

export const ZSplit = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("random"),
      validation: ZFraction("split.validation", 0.5).default(0.1),
      test: ZFraction("split.test", 0.5).default(0.2),
    }),
    z.strictObject({
      /** Oldest rows train, newer validate, newest test. */
      kind: z.literal("time"),
      column: z.string().min(1),
      validation: ZFraction("split.validation", 0.5).default(0.1),
      test: ZFraction("split.test", 0.5).default(0.2),
    }),
  ],
  { error: "split.kind must be 'random' or 'time'" },
);

export const ZModelSpec = z.strictObject({
  /** Units per hidden layer; [] is logistic (classification) or linear (regression) regression. */
  hiddenLayers: z.array(z.number().int().min(1).max(4096)).max(16).default([64, 32]),
  activation: z.enum(activations).default("relu"),
  dropout: ZFraction("model.dropout", 0.9).default(0),
  l2: z.number().min(0).max(10).default(0),
});

export const ZEarlyStopping = z.strictObject({
  /** Epochs without improvement of the validation loss before stopping. */
  patience: z.number().int().min(1).max(1000).default(5),
  minDelta: z.number().min(0).default(0),
  restoreBest: z.boolean().default(true),
});

export const ZTrainingSpec = z.strictObject({
  dataset: ZDatasetRef,
  target: z.string({ error: "target is required" }).min(1, { error: "target is required" }),
  /** Default: every column but the target (and the time column of a time split). */
  features: z.array(z.string().min(1)).min(1).optional(),
  /** Default: inferred from the target (2 values → binary, ≤ 50 categories → multiclass, numbers → regression). */
  task: z.enum(trainingTasks).optional(),
  split: ZSplit.default({ kind: "random", validation: 0.1, test: 0.2 }),
  model: ZModelSpec.default({ hiddenLayers: [64, 32], activation: "relu", dropout: 0, l2: 0 }),
  optimizer: z.enum(optimizers).default("adam"),
  learningRate: z.number().positive().max(10).default(0.001),
  epochs: z.number().int().min(1).max(10_000).default(20),
  batchSize: z.number().int().min(1).max(65_536).default(256),
  earlyStopping: ZEarlyStopping.optional(),
  /** 'balanced' weighs classes by inverse frequency; or a weight per class label. */
  classWeights: z.union([z.literal("balanced"), z.record(z.string(), z.number().positive())]).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  /** Experiment the run is logged to (created if missing). */
  experiment: z.string().min(1).max(500).default("Training"),
  runName: z.string().min(1).max(250).optional(),
  /**
   * On success, register the run's model as the next version of `model` (created if missing), point
   * `alias` at it, and serve it on the endpoint named by `deploy` (which must exist).
   */
  register: z.strictObject({ model: ZModelName, alias: ZAliasName.optional(), deploy: ZEndpointName.optional() }).optional(),
});
export type TrainingSpecInput = z.input<typeof ZTrainingSpec>;
export type TrainingSpec = z.output<typeof ZTrainingSpec>;
