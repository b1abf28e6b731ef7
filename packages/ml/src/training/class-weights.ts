import type { TrainingSpec } from "@gantry/schema";
import { GantryError } from "@gantry/schema/errors";

import type { TargetInfo } from "./task";

/** Rejects class weights a regression cannot use, or that name labels the target does not have. */
export function checkClassWeights(classWeights: TrainingSpec["classWeights"], target: TargetInfo, targetName: string): void {
  if (!classWeights) return;
  if (target.task === "regression") {
    throw new GantryError("INVALID_INPUT", "classWeights apply to classification only; this is a regression task", { field: "classWeights" });
  }
  if (classWeights === "balanced") return;
  for (const label of Object.keys(classWeights)) {
    if (!target.labels.includes(label)) {
      throw new GantryError(
        "INVALID_INPUT",
        `classWeights names '${label}', which is not a class of '${targetName}' (classes: ${target.labels.join(", ")})`,
        { field: "classWeights" },
      );
    }
  }
}

/**
 * Per-row training weights: 'balanced' gives class c the weight n / (k · count_c) over the
 * training split (as scikit-learn's compute_class_weight), a record gives its weight per label
 * (unnamed labels weigh 1). `undefined` when every row weighs 1.
 */
export function sampleWeights({ classWeights, labels, classes }: { classWeights: TrainingSpec["classWeights"]; labels: string[]; classes: Int32Array }): Float32Array | undefined {
  if (!classWeights) return undefined;
  let perClass: number[];
  if (classWeights === "balanced") {
    const counts = new Array<number>(labels.length).fill(0);
    for (const c of classes) counts[c] = (counts[c] ?? 0) + 1;
    const present = counts.filter((count) => count > 0).length;
    perClass = counts.map((count) => (count > 0 ? classes.length / (present * count) : 1));
  } else {
    perClass = labels.map((label) => classWeights[label] ?? 1);
  }
  return Float32Array.from(classes, (c) => perClass[c] ?? 1);
}
