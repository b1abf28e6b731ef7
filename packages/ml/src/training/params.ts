import type { TrainingSpec, TrainingTask } from "@gantry/schema";

/** The effective spec as flat strings, for the run's params. */
export function trainingParams({
  spec,
  task,
  features,
  inputWidth,
  classes,
  splitSizes,
  evaluatedOn,
  backend,
}: {
  spec: TrainingSpec;
  task: TrainingTask;
  features: number;
  inputWidth: number;
  classes?: number;
  splitSizes: { train: number; validation: number; test: number };
  evaluatedOn: string;
  backend: string;
}): Record<string, string> {
  const params: Record<string, string> = {
    task,
    target: spec.target,
    features: String(features),
    input_width: String(inputWidth),
    hidden_layers: spec.model.hiddenLayers.length ? spec.model.hiddenLayers.join(",") : "none",
    activation: spec.model.activation,
    dropout: String(spec.model.dropout),
    l2: String(spec.model.l2),
    optimizer: spec.optimizer,
    learning_rate: String(spec.learningRate),
    epochs: String(spec.epochs),
    batch_size: String(spec.batchSize),
    seed: String(spec.seed),
    split: spec.split.kind,
    split_validation: String(spec.split.validation),
    split_test: String(spec.split.test),
    train_rows: String(splitSizes.train),
    validation_rows: String(splitSizes.validation),
    test_rows: String(splitSizes.test),
    evaluated_on: evaluatedOn,
    backend,
    early_stopping: spec.earlyStopping ? "true" : "false",
  };
  if (spec.split.kind === "time") params.split_column = spec.split.column;
  if (classes !== undefined) params.classes = String(classes);
  if (spec.earlyStopping) {
    params.early_stopping_patience = String(spec.earlyStopping.patience);
    params.early_stopping_min_delta = String(spec.earlyStopping.minDelta);
    params.early_stopping_restore_best = String(spec.earlyStopping.restoreBest);
  }
  if (spec.classWeights) params.class_weights = spec.classWeights === "balanced" ? "balanced" : JSON.stringify(spec.classWeights);
  return params;
}
