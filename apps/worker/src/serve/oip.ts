import type { Row, Signature } from "@gantry/ml";
import { GantryError } from "@gantry/schema";

import type { CompiledSignature, OutputColumns } from "./rows";

/*
 * The Open Inference Protocol (KServe V2) REST API: one tensor per input column, shape [n] or
 * [n, 1], data flat or nested in row-major order; the answer echoes `id` and lists the requested
 * outputs (all of them when `outputs` is left out).
 */

const bad = (message: string, field: string) => new GantryError("INVALID_INPUT", message, { field });

const NUMERIC = new Set(["UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64"]);

/** The datatypes a column of each type accepts (the first is what metadata advertises). */
const accepted: Record<string, string[]> = {
  numeric: ["FP64", ...NUMERIC],
  integer: ["INT64", ...NUMERIC],
  boolean: ["BOOL", "INT8", "UINT8", "INT32", "INT64"],
  datetime: ["INT64", "BYTES", "FP64"],
  categorical: ["BYTES", ...NUMERIC, "BOOL"],
  text: ["BYTES"],
};

export type OipRequest = { rows: Row[]; id: string | undefined; outputs: string[] | undefined };

function flatten(data: unknown, out: unknown[]): void {
  if (Array.isArray(data)) for (const d of data) flatten(d, out);
  else out.push(data);
}

export function parseOipInfer(body: unknown, compiled: CompiledSignature): OipRequest {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw bad('the request must be a JSON object with "inputs"', "body");
  const request = body as Record<string, unknown>;
  if (request.id !== undefined && typeof request.id !== "string") throw bad("id must be a string", "id");
  if (!Array.isArray(request.inputs) || request.inputs.length === 0) throw bad('"inputs" must be a non-empty list of tensors {name, shape, datatype, data}', "inputs");
  const types = new Map(compiled.signature.inputs.map((i) => [i.name, i.type]));
  const columns = new Map<string, unknown[]>();
  let batch = -1;
  request.inputs.forEach((raw: unknown, t) => {
    const where = `inputs[${t}]`;
    if (raw === null || typeof raw !== "object") throw bad(`${where} must be a tensor {name, shape, datatype, data}`, where);
    const tensor = raw as Record<string, unknown>;
    const name = tensor.name;
    if (typeof name !== "string") throw bad(`${where}.name must be a string`, `${where}.name`);
    const type = types.get(name);
    if (!type) throw bad(`${where}: unknown input '${name}'; the model takes ${[...compiled.names].join(", ")}`, name);
    if (columns.has(name)) throw bad(`${where}: input '${name}' is sent twice`, name);
    const { shape, datatype, data } = tensor;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) throw bad(`${where}.shape must be a list of non-negative integers`, `${where}.shape`);
    if (shape.length === 0 || shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
      throw bad(`${where}.shape must be [n] or [n, 1] (one value per row), got [${shape.join(", ")}]`, `${where}.shape`);
    }
    if (typeof datatype !== "string" || !(accepted[type] ?? []).includes(datatype)) {
      throw bad(`${where}.datatype ${JSON.stringify(datatype)} does not fit the ${type} input '${name}'; use ${(accepted[type] ?? []).slice(0, 3).join(" or ")}`, `${where}.datatype`);
    }
    const values: unknown[] = [];
    flatten(data, values);
    const n = shape[0] as number;
    if (values.length !== n) throw bad(`${where}: shape [${shape.join(", ")}] needs ${n} values, data has ${values.length}`, `${where}.data`);
    if (batch >= 0 && n !== batch) throw bad(`${where}: batch size ${n} differs from the other inputs' ${batch}`, `${where}.shape`);
    batch = n;
    columns.set(name, values);
  });
  if (batch === 0) throw bad("the inputs hold no rows (batch size 0)", "inputs");
  const rows: Row[] = [];
  for (let i = 0; i < batch; i++) {
    const row: Row = {};
    for (const [name, values] of columns) row[name] = values[i] as Row[string];
    compiled.check(row, `row ${i}`);
    rows.push(row);
  }
  let outputs: string[] | undefined;
  if (request.outputs !== undefined) {
    if (!Array.isArray(request.outputs)) throw bad('"outputs" must be a list of {name}', "outputs");
    const known = outputNames(compiled.signature);
    outputs = request.outputs.map((o: unknown, i) => {
      const name = o !== null && typeof o === "object" ? (o as { name?: unknown }).name : undefined;
      if (typeof name !== "string" || !known.includes(name)) throw bad(`outputs[${i}].name must be one of ${known.join(", ")}`, `outputs[${i}].name`);
      return name;
    });
  }
  return { rows, id: request.id as string | undefined, outputs };
}

export const outputNames = (signature: Signature) => (signature.task === "regression" ? ["value"] : ["label", "probabilities"]);

export function oipOutputs(columns: OutputColumns, wanted: string[] | undefined, classes: number) {
  const all = [];
  if (columns.value) all.push({ name: "value", datatype: "FP32", shape: [columns.value.length], data: columns.value });
  if (columns.label) all.push({ name: "label", datatype: "BYTES", shape: [columns.label.length], data: columns.label });
  if (columns.probabilities) all.push({ name: "probabilities", datatype: "FP32", shape: [columns.probabilities.length, classes], data: columns.probabilities.flat() });
  return wanted ? all.filter((o) => wanted.includes(o.name)) : all;
}

/** `GET v2/models/{m}`: the signature as OIP tensor metadata (a variable dimension is -1). */
export function oipMetadata(signature: Signature, served: { name: string; version: number; model: string }) {
  const classes = signature.labels?.length ?? 0;
  return {
    name: served.name,
    versions: [String(served.version)],
    platform: "tensorflowjs",
    inputs: signature.inputs.map((i) => ({ name: i.name, datatype: accepted[i.type]?.[0] ?? "BYTES", shape: [-1], parameters: { type: i.type, required: i.required } })),
    outputs:
      signature.task === "regression"
        ? [{ name: "value", datatype: "FP32", shape: [-1] }]
        : [
            { name: "label", datatype: "BYTES", shape: [-1] },
            { name: "probabilities", datatype: "FP32", shape: [-1, classes], parameters: { labels: signature.labels ?? [] } },
          ],
    parameters: { model: served.model, task: signature.task },
  };
}
