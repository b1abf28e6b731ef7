import type { TrainingSpec, TrainingTask } from "@gantry/schema";

import { tf } from "../tf";
import { argMax } from "../metrics/classification";
import { createOptimizer, forwardTraining, l2Penalty, predictMatrix, rowLossValue, rowLoss } from "./network";
import type { Network } from "./network";
import { createRandom, randomStreams, shuffleInPlace } from "./random";
import type { EpochReport, TrainOptions } from "./types";

/** Longest stretch of synchronous training between two turns of the event loop. */
const YIELD_EVERY_MS = 25;

/** One split, encoded: `x` is rows × inputWidth, `y` rows × outputWidth. */
export type EncodedSplit = { rows: number; x: Float32Array; y: Float32Array; classes: Int32Array; weights?: Float32Array };

export type FitResult = { status: "completed" | "cancelled"; history: EpochReport[]; bestEpoch: number };

type FitOptions = {
  network: Network;
  task: TrainingTask;
  spec: TrainingSpec;
  inputWidth: number;
  outputWidth: number;
  /** Regression: the target's training standard deviation, to report errors in the target's units. */
  targetScale: number;
  train: EncodedSplit;
  validation?: EncodedSplit;
} & Pick<TrainOptions, "onEpoch" | "shouldStop" | "log">;

/**
 * The training loop: seeded shuffles, one optimizer step per batch (cancellation is checked
 * before each), validation after each epoch, early stopping on val_loss.
 */
export async function fitNetwork(options: FitOptions): Promise<FitResult> {
  const { network, task, spec, inputWidth, outputWidth, train, validation } = options;
  const { model } = network;
  const optimizer = createOptimizer(spec.optimizer, spec.learningRate);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const kernels = variables.filter((v) => v.rank === 2);
  const shuffles = createRandom(spec.seed, randomStreams.shuffle);
  const dropoutSeeds = createRandom(spec.seed, randomStreams.dropout);
  const order = Int32Array.from({ length: train.rows }, (_, i) => i);
  const history: EpochReport[] = [];
  const early = spec.earlyStopping;
  const started = Date.now();
  let best: { loss: number; epoch: number; weights?: tf.Tensor[] } = { loss: Number.POSITIVE_INFINITY, epoch: 0 };
  let waited = 0;
  let diverged = false;
  let status: FitResult["status"] = "completed";
  let lastYield = performance.now();

  try {
    for (let epoch = 1; epoch <= spec.epochs && status === "completed"; epoch++) {
      shuffleInPlace(order, shuffles);
      const running = newTally();
      for (let start = 0; start < train.rows; start += spec.batchSize) {
        // Batches run synchronously; give the event loop a turn now and then so the caller's
        // timers and I/O (heartbeats, cancel checks, progress writes) go on during an epoch.
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
        if (options.shouldStop?.()) {
          status = "cancelled";
          break;
        }
        const batch = order.subarray(start, Math.min(train.rows, start + spec.batchSize));
        const step = trainStep({ ...options, optimizer, variables, kernels, batch, seed: dropoutSeeds.seed() });
        tally(running, { task, outputWidth, targetScale: options.targetScale, ...step, classes: batch.map((i) => train.classes[i] as number) });
      }
      if (status === "cancelled") break;

      // `loss` is the objective as optimised (class-weighted, plus the L2 penalty; regression in
      // standardised target units); `val_loss` the unweighted loss plus the same penalty, as Keras.
      const metrics = summarise(running, task, "");
      if (!diverged && !Number.isFinite(metrics.loss)) {
        diverged = true;
        options.log?.(`the training loss is not finite at epoch ${epoch}: the learning rate (${spec.learningRate}) is probably too high`);
      }
      if (validation && validation.rows > 0) {
        const penalty = spec.model.l2 > 0 ? readScalar(l2Penalty(kernels, spec.model.l2)) : 0;
        const outputs = predictMatrix(model, validation.x, validation.rows, inputWidth);
        const val = newTally();
        tally(val, { task, outputWidth, targetScale: options.targetScale, outputs, targets: validation.y, classes: Array.from(validation.classes), penalty });
        Object.assign(metrics, summarise(val, task, "val_"));
      }
      const report: EpochReport = { epoch, epochs: spec.epochs, metrics, elapsedMs: Date.now() - started };
      history.push(report);
      await options.onEpoch?.(report);

      if (!early) continue;
      const current = metrics.val_loss ?? Number.POSITIVE_INFINITY;
      if (current < best.loss - early.minDelta) {
        tf.dispose(best.weights);
        best = { loss: current, epoch, ...(early.restoreBest ? { weights: model.getWeights().map((w) => w.clone()) } : {}) };
        waited = 0;
      } else if (++waited >= early.patience) {
        options.log?.(`early stopping after epoch ${epoch}: val_loss has not improved for ${early.patience} epochs (best ${best.loss.toPrecision(4)} at epoch ${best.epoch})`);
        break;
      }
    }
    if (status === "cancelled") options.log?.(`training cancelled after ${history.length} complete epochs`);
    const last = history.length;
    if (early?.restoreBest && best.weights && best.epoch !== last) {
      model.setWeights(best.weights);
      return { status, history, bestEpoch: best.epoch };
    }
    return { status, history, bestEpoch: last };
  } finally {
    tf.dispose(best.weights);
    optimizer.dispose();
  }
}

function trainStep({
  network,
  task,
  spec,
  inputWidth,
  outputWidth,
  train,
  optimizer,
  variables,
  kernels,
  batch,
  seed,
}: FitOptions & { optimizer: tf.Optimizer; variables: tf.Variable[]; kernels: tf.Tensor[]; batch: Int32Array; seed: number }) {
  const n = batch.length;
  const xb = new Float32Array(n * inputWidth);
  const yb = new Float32Array(n * outputWidth);
  const wb = train.weights ? new Float32Array(n) : undefined;
  batch.forEach((row, i) => {
    xb.set(train.x.subarray(row * inputWidth, (row + 1) * inputWidth), i * inputWidth);
    yb.set(train.y.subarray(row * outputWidth, (row + 1) * outputWidth), i * outputWidth);
    if (wb && train.weights) wb[i] = train.weights[row] as number;
  });
  const xs = tf.tensor2d(xb, [n, inputWidth]);
  const ys = tf.tensor2d(yb, [n, outputWidth]);
  const ws = wb ? tf.tensor1d(wb) : undefined;
  let kept: tf.Tensor | undefined;
  try {
    const cost = optimizer.minimize(
      () => {
        const output = forwardTraining(network, xs, { dropout: spec.model.dropout, seed });
        kept = tf.keep(output);
        const perRow = rowLoss(task, output, ys);
        let loss = tf.mean(ws ? tf.mul(perRow, ws) : perRow) as tf.Scalar;
        if (spec.model.l2 > 0) loss = tf.add(loss, l2Penalty(kernels, spec.model.l2));
        return loss;
      },
      true,
      variables,
    );
    const loss = cost ? readScalar(cost) : Number.NaN;
    const outputs = kept ? (kept.dataSync() as Float32Array) : new Float32Array(n * outputWidth);
    return { outputs, targets: yb, batchLoss: loss };
  } finally {
    // Also when a step throws: a failed batch must not leak its tensors.
    tf.dispose([xs, ys, ws, kept].filter((t): t is tf.Tensor => t !== undefined));
  }
}

const readScalar = (t: tf.Tensor) => {
  const value = t.dataSync()[0] as number;
  t.dispose();
  return value;
};

type Tally = { rows: number; loss: number; correct: number; squared: number; absolute: number };
const newTally = (): Tally => ({ rows: 0, loss: 0, correct: 0, squared: 0, absolute: 0 });

/**
 * Adds a batch (or the validation set) to the epoch's running metrics. `batchLoss` is the
 * training objective as optimised (weighted, with penalty); without it the loss is computed
 * unweighted from the outputs, plus `penalty`.
 */
function tally(
  t: Tally,
  b: { task: TrainingTask; outputWidth: number; targetScale: number; outputs: Float32Array; targets: Float32Array; classes: ArrayLike<number>; batchLoss?: number; penalty?: number },
) {
  const n = b.classes.length;
  for (let i = 0; i < n; i++) {
    if (b.batchLoss === undefined) t.loss += rowLossValue(b.task, b.outputs, b.targets, i, b.outputWidth) + (b.penalty ?? 0);
    if (b.task === "regression") {
      const error = ((b.outputs[i] as number) - (b.targets[i] as number)) * b.targetScale;
      t.squared += error * error;
      t.absolute += Math.abs(error);
    } else {
      const predicted = b.task === "binary" ? ((b.outputs[i] as number) > 0.5 ? 1 : 0) : argMax(b.outputs.subarray(i * b.outputWidth, (i + 1) * b.outputWidth));
      if (predicted === b.classes[i]) t.correct++;
    }
  }
  if (b.batchLoss !== undefined) t.loss += b.batchLoss * n;
  t.rows += n;
}

function summarise(t: Tally, task: TrainingTask, prefix: "" | "val_"): Record<string, number> {
  const n = Math.max(1, t.rows);
  if (task === "regression") {
    return { [`${prefix}loss`]: t.loss / n, [`${prefix}rmse`]: Math.sqrt(t.squared / n), [`${prefix}mae`]: t.absolute / n };
  }
  return { [`${prefix}loss`]: t.loss / n, [`${prefix}accuracy`]: t.correct / n };
}
