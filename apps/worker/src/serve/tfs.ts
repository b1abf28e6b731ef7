import type { Row } from "@gantry/ml";
import { GantryError } from "@gantry/schema";

import type { CompiledSignature, OutputColumns } from "./rows";
import { rowOf } from "./rows";

/*
 * TensorFlow Serving's REST predict API (tensorflow_serving/g3doc/api_rest.md): exactly one of
 * `instances` (row format, answered with `predictions`) or `inputs` (columnar format, answered
 * with `outputs`). With one output tensor its name is dropped; with several the row answer is a
 * list of objects and the columnar answer an object.
 */

export type TfsRequest = { rows: Row[]; format: "row" | "columnar" };

const bad = (message: string, field: string) => new GantryError("INVALID_INPUT", message, { field });

export function parseTfsPredict(body: unknown, compiled: CompiledSignature): TfsRequest {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw bad('the request must be a JSON object with "instances" or "inputs"', "body");
  const request = body as Record<string, unknown>;
  const hasInstances = "instances" in request;
  const hasInputs = "inputs" in request;
  if (hasInstances === hasInputs) throw bad('the request must have exactly one of "instances" (rows) or "inputs" (columns)', hasInstances ? "inputs" : "instances");
  if (request.signature_name !== undefined && request.signature_name !== "serving_default" && request.signature_name !== "") {
    throw bad(`signature_name '${String(request.signature_name)}' is not served; this model has 'serving_default'`, "signature_name");
  }
  if (hasInstances) {
    const { instances } = request;
    if (!Array.isArray(instances)) throw bad('"instances" must be a list of rows', "instances");
    if (instances.length === 0) throw bad('"instances" is empty: send at least one row', "instances");
    const rows = instances.map((item, i) => {
      const where = `instances[${i}]`;
      const row = rowOf(item, compiled, where);
      compiled.check(row, where);
      return row;
    });
    return { rows, format: "row" };
  }
  return { rows: columnsToRows(request.inputs, compiled), format: "columnar" };
}

function columnsToRows(inputs: unknown, compiled: CompiledSignature): Row[] {
  const only = compiled.signature.inputs.length === 1 ? compiled.signature.inputs[0] : undefined;
  const columns: Record<string, unknown> = Array.isArray(inputs) && only ? { [only.name]: inputs } : (inputs as Record<string, unknown>);
  if (columns === null || typeof columns !== "object" || Array.isArray(columns)) throw bad('"inputs" must be an object of columns keyed by input name', "inputs");
  let length = -1;
  for (const [name, column] of Object.entries(columns)) {
    if (!compiled.names.has(name)) throw bad(`inputs: unknown input '${name}'; the model takes ${[...compiled.names].join(", ")}`, name);
    if (!Array.isArray(column)) throw bad(`inputs.${name} must be a list with one value per row`, name);
    if (length >= 0 && column.length !== length) throw bad(`inputs.${name} has ${column.length} values but the other inputs have ${length}: every input needs one value per row`, name);
    length = column.length;
  }
  if (length <= 0) throw bad('"inputs" is empty: send at least one row', "inputs");
  const entries = Object.entries(columns) as [string, unknown[]][];
  const rows: Row[] = [];
  for (let i = 0; i < length; i++) {
    const row: Row = {};
    for (const [name, column] of entries) row[name] = column[i] as Row[string];
    compiled.check(row, `inputs[${i}]`);
    rows.push(row);
  }
  return rows;
}

/** The answer body (before the served-by fields are added). */
export function tfsAnswer(format: TfsRequest["format"], columns: OutputColumns): Record<string, unknown> {
  if (columns.value) return format === "row" ? { predictions: columns.value } : { outputs: columns.value };
  const { label = [], probabilities = [] } = columns;
  if (format === "columnar") return { outputs: { label, probabilities } };
  return { predictions: label.map((l, i) => ({ label: l, probabilities: probabilities[i] })) };
}

/** `GET /v1/models/{name}`: the status of what is served (TFS's GetModelStatus as JSON). */
export function tfsStatus(version: number, state: "AVAILABLE" | "LOADING" | "END", message = "") {
  // END (a paused endpoint, a model that failed to load) carries the reason as TFS does: a code and a message.
  return {
    model_version_status: [{ version: String(version), state, status: { error_code: state === "END" ? "UNAVAILABLE" : "OK", error_message: message } }],
  };
}
