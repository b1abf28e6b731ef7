import type { DatasetColumn } from "@gantry/schema/datasets";
import type { activations, optimizers, TrainingSpecInput, TrainingTask } from "@gantry/schema/training";

/**
 * The training form's state: what people type, as typed (numbers stay strings until submitted),
 * and its conversion to a spec. The API validates the spec and names the offending field
 * (`spec.epochs`); only what cannot be sent at all (a number that is not one) is caught here.
 */
export type SpecDraft = {
  dataset: { name: string; version: number | "latest" };
  target: string;
  /** "" is auto: inferred from the target. */
  task: "" | TrainingTask;
  /** Columns left out of the features (the target always is). */
  excluded: string[];
  split: { kind: "random" | "time"; column: string; validation: string; test: string };
  hiddenLayers: string;
  activation: (typeof activations)[number];
  dropout: string;
  l2: string;
  optimizer: (typeof optimizers)[number];
  learningRate: string;
  epochs: string;
  batchSize: string;
  earlyStopping: boolean;
  patience: string;
  classWeights: "none" | "balanced";
  seed: string;
  experiment: string;
  runName: string;
  /** "" registers nothing; otherwise the model the run's pipeline becomes the next version of. */
  registerModel: string;
  registerAlias: string;
};

/** ZTrainingSpec's defaults, as the form shows them. */
export const defaultDraft = (dataset: SpecDraft["dataset"] = { name: "", version: "latest" }): SpecDraft => ({
  dataset,
  target: "",
  task: "",
  excluded: [],
  split: { kind: "random", column: "", validation: "0.1", test: "0.2" },
  hiddenLayers: "64, 32",
  activation: "relu",
  dropout: "0",
  l2: "0",
  optimizer: "adam",
  learningRate: "0.001",
  epochs: "20",
  batchSize: "256",
  earlyStopping: false,
  patience: "5",
  classWeights: "none",
  seed: "42",
  experiment: "Training",
  runName: "",
  registerModel: "",
  registerAlias: "",
});

const TARGET_NAMES = ["target", "label", "y", "class", "outcome"];

/** A likely target: a column named like one, else the last column. */
export function guessTarget(columns: DatasetColumn[]): string {
  const named = columns.find((c) => TARGET_NAMES.includes(c.name.toLowerCase()));
  return (named ?? columns.at(-1))?.name ?? "";
}

export const timeColumns = (columns: DatasetColumn[]) => columns.filter((c) => c.type === "datetime");

/** The features the draft trains on: every column but the target, the time-split column and the excluded ones. */
export function featuresOf(draft: SpecDraft, columns: DatasetColumn[]): string[] {
  const timeColumn = draft.split.kind === "time" ? draft.split.column : "";
  return columns.map((c) => c.name).filter((n) => n !== draft.target && n !== timeColumn && !draft.excluded.includes(n));
}

export type DraftError = { field: string; message: string };

export class DraftInvalid extends Error {
  constructor(readonly error: DraftError) {
    super(error.message);
  }
}

/**
 * The spec a draft stands for, fields named under `prefix` (`spec`, or `config.base` in a sweep)
 * in errors. Features are sent only when some were left out, so that the server's default
 * (every column but the target) applies otherwise.
 */
export function draftToSpec(draft: SpecDraft, columns: DatasetColumn[], prefix = "spec"): TrainingSpecInput {
  const number = (field: string, raw: string, label: string): number | undefined => {
    if (raw.trim() === "") return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new DraftInvalid({ field: `${prefix}.${field}`, message: `${label} must be a number` });
    return n;
  };
  const layers = draft.hiddenLayers
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((s) => Number(s));
  if (layers.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new DraftInvalid({ field: `${prefix}.model.hiddenLayers`, message: "hidden layers must be whole numbers of units, e.g. 64, 32 (empty for none)" });
  }
  const features = featuresOf(draft, columns);
  const someExcluded = draft.excluded.some((n) => n !== draft.target && columns.some((c) => c.name === n));
  const patience = number("earlyStopping.patience", draft.patience, "patience");
  const epochs = number("epochs", draft.epochs, "epochs");
  const batchSize = number("batchSize", draft.batchSize, "batch size");
  const learningRate = number("learningRate", draft.learningRate, "learning rate");
  const seed = number("seed", draft.seed, "seed");
  const dropout = number("model.dropout", draft.dropout, "dropout");
  const l2 = number("model.l2", draft.l2, "L2");
  const validation = number("split.validation", draft.split.validation, "validation fraction");
  const test = number("split.test", draft.split.test, "test fraction");
  return {
    dataset: draft.dataset,
    target: draft.target,
    ...(someExcluded ? { features } : {}),
    ...(draft.task ? { task: draft.task } : {}),
    split: draft.split.kind === "time" ? { kind: "time", column: draft.split.column, validation, test } : { kind: "random", validation, test },
    model: { hiddenLayers: layers, activation: draft.activation, dropout, l2 },
    optimizer: draft.optimizer,
    ...(learningRate !== undefined ? { learningRate } : {}),
    ...(epochs !== undefined ? { epochs } : {}),
    ...(batchSize !== undefined ? { batchSize } : {}),
    ...(draft.earlyStopping ? { earlyStopping: { patience } } : {}),
    ...(draft.classWeights === "balanced" ? { classWeights: "balanced" as const } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(draft.experiment.trim() ? { experiment: draft.experiment.trim() } : {}),
    ...(draft.runName.trim() ? { runName: draft.runName.trim() } : {}),
    ...(draft.registerModel.trim() ? { register: { model: draft.registerModel.trim(), ...(draft.registerAlias.trim() ? { alias: draft.registerAlias.trim() } : {}) } } : {}),
  };
}
