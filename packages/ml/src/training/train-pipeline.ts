import { GantryError } from "@gantry/schema/errors";

import { tf } from "../tf";
import { evaluateClassification, evaluateRegression, prefixKeys } from "../metrics/evaluate";
import { cellToNumber, isMissing } from "./cells";
import { checkClassWeights, sampleWeights } from "./class-weights";
import { createRowEncoder, encodeTargets, outputWidth } from "./encode";
import { resolveFeatures } from "./features";
import { fitNetwork } from "./fit";
import type { EncodedSplit } from "./fit";
import { buildNetwork } from "./network";
import { trainingParams } from "./params";
import { createPredictor } from "./predictor";
import { fitPreprocessing, signatureOf } from "./preprocess";
import type { Preprocessing } from "./preprocess";
import { buildReferenceProfile } from "./reference";
import { serializePipeline } from "./serialize";
import { splitRows } from "./split";
import { resolveTarget } from "./task";
import type { Prediction, Row, TrainOptions, TrainResult } from "./types";

/** Rows of the holdout whose raw values and predictions travel with the result. */
export const sampleSize = 20;

/**
 * Trains a pipeline (preprocessing + MLP) on an in-memory table: checks the spec against the
 * data, splits, fits the preprocessing on the training split, trains, evaluates on the test split
 * and serialises. Same spec, seed and backend → same metrics.
 */
export async function trainPipeline(options: TrainOptions): Promise<TrainResult> {
  const { spec, table } = options;
  const log = options.log ?? (() => {});
  const backend = tf.getBackend();

  const targetInfo = resolveTarget({ table, target: spec.target, task: spec.task });
  const task = targetInfo.task;
  if (!spec.task) log(`task inferred from '${spec.target}': ${task}`);
  const features = resolveFeatures({ table, spec, log });
  checkClassWeights(spec.classWeights, targetInfo, spec.target);
  if (spec.earlyStopping && spec.split.validation === 0) {
    throw new GantryError("INVALID_INPUT", "early stopping watches the validation loss: set split.validation above 0", { field: "earlyStopping" });
  }
  const targetColumn = table.columns.find((c) => c.name === spec.target) ?? { name: spec.target, type: "numeric" as const };

  const usable = table.rows.flatMap((row, i) => (isMissing(row[spec.target]) ? [] : [i]));
  if (usable.length < table.rows.length) log(`${table.rows.length - usable.length} rows without a '${spec.target}' value: left out`);
  const parts = splitRows({ table, rows: usable, split: spec.split, seed: spec.seed, log });
  const pick = (indices: number[]) => indices.map((i) => table.rows[i] as Row);
  const rows = { train: pick(parts.train), validation: pick(parts.validation), test: pick(parts.test) };
  const splitSizes = { train: rows.train.length, validation: rows.validation.length, test: rows.test.length };
  log(`split (${spec.split.kind}): ${splitSizes.train} train, ${splitSizes.validation} validation, ${splitSizes.test} test rows`);

  const preprocessing = fitPreprocessing({ rows: rows.train, features, target: targetColumn, targetInfo, log });
  if (preprocessing.features.length === 0) {
    throw new GantryError("INVALID_INPUT", "no feature column has values in the training split", { field: "features" });
  }
  const signature = signatureOf(preprocessing);
  const inputWidth = preprocessing.width;
  const outWidth = outputWidth(preprocessing.target);
  const encodeRows = createRowEncoder(preprocessing);
  const encode = (part: Row[], withWeights: boolean): EncodedSplit => {
    const { y, classes } = encodeTargets(preprocessing.target, part);
    const weights =
      withWeights && targetInfo.task !== "regression" ? sampleWeights({ classWeights: spec.classWeights, labels: targetInfo.labels, classes }) : undefined;
    return { rows: part.length, x: encodeRows(part), y, classes, ...(weights ? { weights } : {}) };
  };
  log(`training a ${task} model on ${splitSizes.train} rows × ${inputWidth} inputs (${features.length} columns) on the ${backend} backend`);

  const network = buildNetwork({ inputWidth, outputWidth: outWidth, task, model: spec.model, seed: spec.seed });
  try {
    const fit = await fitNetwork({
      network,
      task,
      spec,
      inputWidth,
      outputWidth: outWidth,
      targetScale: preprocessing.target.task === "regression" ? preprocessing.target.std : 1,
      train: encode(rows.train, true),
      ...(rows.validation.length ? { validation: encode(rows.validation, false) } : {}),
      onEpoch: options.onEpoch,
      shouldStop: options.shouldStop,
      log,
    });

    // Without a test split, the validation (else training) rows stand in; params say which.
    const evaluatedOn = rows.test.length ? "test" : rows.validation.length ? "validation" : "train";
    const holdout = rows[evaluatedOn];
    if (evaluatedOn !== "test") log(`no test split: metrics and reference profile computed on the ${evaluatedOn} rows`);
    const predict = createPredictor({ model: network.model, preprocessing });
    const predictions = predict(holdout);
    const evaluation = evaluate(preprocessing, holdout, predictions);
    const sampleRows = holdout.slice(0, sampleSize);

    return {
      status: fit.status,
      task,
      backend,
      params: trainingParams({
        spec,
        task,
        features: preprocessing.features.length,
        inputWidth,
        ...(targetInfo.task === "regression" ? {} : { classes: targetInfo.labels.length }),
        splitSizes,
        evaluatedOn,
        backend,
      }),
      history: fit.history,
      bestEpoch: fit.bestEpoch,
      ...evaluation,
      splitSizes,
      pipeline: await serializePipeline({ model: network.model, preprocessing, signature }),
      signature,
      reference: buildReferenceProfile({ preprocessing, rows: holdout, predictions }),
      // Predicted apart from the holdout batch: a reload is checked on exactly this batch.
      sample: { rows: sampleRows, predictions: predict(sampleRows) },
    };
  } finally {
    network.model.dispose();
  }
}

/** Metrics of the pipeline's answers on raw holdout rows, through the same path serving takes. */
function evaluate(
  preprocessing: Preprocessing,
  rows: Row[],
  predictions: Prediction[],
): Pick<TrainResult, "testMetrics" | "confusionMatrix" | "rocCurve"> {
  const { target } = preprocessing;
  if (rows.length === 0) return { testMetrics: {} };
  if (target.task === "regression") {
    const truth = rows.map((r) => cellToNumber(r[target.name], "numeric") ?? Number.NaN);
    const predicted = predictions.map((p) => ("value" in p ? p.value : Number.NaN));
    return { testMetrics: prefixKeys("test_", evaluateRegression(truth, predicted)) };
  }
  const { classes } = encodeTargets(target, rows);
  const probabilities = predictions.map((p) => ("probabilities" in p ? target.labels.map((l) => p.probabilities[l] ?? 0) : []));
  const result = evaluateClassification({ labels: target.labels, yTrue: classes, probabilities });
  return {
    testMetrics: prefixKeys("test_", result.metrics),
    confusionMatrix: result.confusionMatrix,
    ...(result.rocCurve ? { rocCurve: result.rocCurve } : {}),
  };
}
