import { profileDistribution } from "../profile/distribution";
import { cellToCategory, cellToNumber } from "./cells";
import type { Preprocessing } from "./preprocess";
import type { Prediction, ReferenceProfile, Row } from "./types";

/**
 * The holdout's input and prediction distributions, as serving will see them: raw feature values
 * (numbers, datetimes as epoch ms; booleans and categories by their text) and the pipeline's
 * answers (binary: `score` of the positive class and `label`; multiclass: `label`; regression: `value`).
 */
export function buildReferenceProfile({ preprocessing, rows, predictions }: { preprocessing: Preprocessing; rows: Row[]; predictions: Prediction[] }): ReferenceProfile {
  const features: ReferenceProfile["features"] = {};
  for (const encoding of preprocessing.features) {
    const { name, type } = encoding;
    features[name] =
      encoding.kind === "numeric"
        ? profileDistribution(
            rows.map((r) => cellToNumber(r[name], type) ?? null),
            { kind: "numeric" },
          )
        : profileDistribution(
            rows.map((r) => cellToCategory(r[name])),
            { kind: "categorical" },
          );
  }
  const { target } = preprocessing;
  const output: ReferenceProfile["predictions"] = {};
  if (target.task === "regression") {
    output.value = profileDistribution(
      predictions.map((p) => ("value" in p ? p.value : null)),
      { kind: "numeric" },
    );
  } else {
    const positive = target.labels[1] ?? "";
    if (target.task === "binary") {
      output.score = profileDistribution(
        predictions.map((p) => ("probabilities" in p ? (p.probabilities[positive] ?? null) : null)),
        { kind: "numeric" },
      );
    }
    output.label = profileDistribution(
      predictions.map((p) => ("label" in p ? p.label : null)),
      { kind: "categorical" },
    );
  }
  return { rows: rows.length, features, predictions: output };
}
