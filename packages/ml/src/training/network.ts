import type { TrainingSpec, TrainingTask } from "@gantry/schema";

import { tf } from "../tf";
import { createRandom, randomStreams } from "./random";

/*
 * The network: a plain MLP. Dropout is not a layer of the saved model but applied between the
 * layers by the training forward pass: tfjs's Dropout layer reuses one mask for a fixed seed, and
 * at inference dropout is the identity anyway, so the served topology stays a stack of Dense.
 */

export type Network = { model: tf.Sequential; layers: tf.layers.Layer[] };

export function buildNetwork({
  inputWidth,
  outputWidth,
  task,
  model: spec,
  seed,
}: {
  inputWidth: number;
  outputWidth: number;
  task: TrainingTask;
  model: TrainingSpec["model"];
  seed: number;
}): Network {
  const seeds = createRandom(seed, randomStreams.initializers);
  const layers: tf.layers.Layer[] = [];
  spec.hiddenLayers.forEach((units, i) => {
    layers.push(
      tf.layers.dense({
        name: `hidden_${i + 1}`,
        units,
        activation: spec.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seeds.seed() }),
        biasInitializer: "zeros",
        ...(i === 0 ? { inputShape: [inputWidth] } : {}),
      }),
    );
  });
  layers.push(
    tf.layers.dense({
      name: "output",
      units: outputWidth,
      activation: task === "binary" ? "sigmoid" : task === "multiclass" ? "softmax" : "linear",
      kernelInitializer: tf.initializers.glorotUniform({ seed: seeds.seed() }),
      biasInitializer: "zeros",
      ...(layers.length === 0 ? { inputShape: [inputWidth] } : {}),
    }),
  );
  const model = tf.sequential({ name: "gantry_mlp", layers });
  return { model, layers };
}

/** The training forward pass: Dense layers with seeded dropout after each hidden one. */
export function forwardTraining(network: Network, x: tf.Tensor, { dropout, seed }: { dropout: number; seed: number }): tf.Tensor {
  let h = x;
  network.layers.forEach((layer, i) => {
    h = layer.apply(h) as tf.Tensor;
    if (dropout > 0 && i < network.layers.length - 1) h = tf.dropout(h, dropout, undefined, seed + i);
  });
  return h;
}

const epsilon = 1e-7;

/** Per-row loss, `[batch]`: binary / categorical cross-entropy, or squared error on the standardised target. */
export function rowLoss(task: TrainingTask, output: tf.Tensor, target: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    if (task === "regression") return tf.mean(tf.square(tf.sub(output, target)), 1) as tf.Tensor1D;
    const p = tf.clipByValue(output, epsilon, 1 - epsilon);
    if (task === "multiclass") return tf.neg(tf.sum(tf.mul(target, tf.log(p)), 1)) as tf.Tensor1D;
    const positive = tf.mul(target, tf.log(p));
    const negative = tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p)));
    return tf.neg(tf.sum(tf.add(positive, negative), 1)) as tf.Tensor1D;
  });
}

/** The same loss in plain numbers (float64), for validation outputs already read back. */
export function rowLossValue(task: TrainingTask, output: ArrayLike<number>, target: ArrayLike<number>, row: number, width: number): number {
  let loss = 0;
  for (let j = 0; j < width; j++) {
    const o = output[row * width + j] as number;
    const y = target[row * width + j] as number;
    if (task === "regression") loss += (o - y) ** 2 / width;
    else {
      const p = Math.min(1 - epsilon, Math.max(epsilon, o));
      loss -= task === "multiclass" ? y * Math.log(p) : y * Math.log(p) + (1 - y) * Math.log(1 - p);
    }
  }
  return loss;
}

/** L2 penalty on the kernels (not the biases), as Keras' kernel_regularizer l2: l2 · Σ w². */
export function l2Penalty(kernels: tf.Tensor[], l2: number): tf.Scalar {
  return tf.tidy(() => tf.mul(l2, tf.addN(kernels.map((k) => tf.sum(tf.square(k))))) as tf.Scalar);
}

export function createOptimizer(name: TrainingSpec["optimizer"], learningRate: number): tf.Optimizer {
  if (name === "sgd") return tf.train.sgd(learningRate);
  if (name === "rmsprop") return tf.train.rmsprop(learningRate);
  if (name === "adagrad") return tf.train.adagrad(learningRate);
  return tf.train.adam(learningRate);
}

/** Network outputs for an encoded matrix: one tensor, one predict, read back, disposed. */
export function predictMatrix(model: tf.LayersModel, x: Float32Array, rows: number, width: number): Float32Array {
  if (rows === 0) return new Float32Array(0);
  // tidy: the input and output are released even when predict throws (this is the serving path).
  return tf.tidy(() => (model.predict(tf.tensor2d(x, [rows, width]), { batchSize: rows }) as tf.Tensor).dataSync() as Float32Array);
}
