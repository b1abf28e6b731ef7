import type { IncomingMessage } from "node:http";

import type { TrafficPolicy } from "@gantry/schema";

/*
 * The unit of sticky assignment (a user, a session): the `x-unit-id` header, else the header or
 * request field the policy's `stickyKey` names (in the first row of `instances`, a column of
 * `inputs`, or an Open Inference input tensor), else a top-level `unit_id` (OIP: `parameters.unit_id`).
 * A sticky field that is not a model input is taken out of the request before validation, so a
 * caller can send `user_id` with its rows without the model refusing an unknown column.
 */

const scalar = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : null);

export function stickyKeyOf(policy: TrafficPolicy | undefined): string | undefined {
  return policy && "stickyKey" in policy ? policy.stickyKey : undefined;
}

/** The unit id of a request (read only). */
export function unitIdOf(request: IncomingMessage, body: unknown, key: string | undefined): string | null {
  const header = request.headers["x-unit-id"];
  if (typeof header === "string" && header) return header;
  if (key) {
    const named = request.headers[key.toLowerCase()];
    if (typeof named === "string" && named) return named;
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  if (key) {
    const found = stickyField(b, key);
    if (found !== null) return found;
  }
  const parameters = b.parameters;
  return scalar(b.unit_id) ?? (parameters && typeof parameters === "object" ? scalar((parameters as Record<string, unknown>).unit_id) : null);
}

function stickyField(b: Record<string, unknown>, key: string): string | null {
  if (Array.isArray(b.instances)) {
    const first = b.instances[0] as Record<string, unknown> | undefined;
    return first && typeof first === "object" ? scalar(first[key]) : null;
  }
  if (Array.isArray(b.inputs)) {
    const tensor = b.inputs.find((t: unknown) => t !== null && typeof t === "object" && (t as { name?: unknown }).name === key) as { data?: unknown } | undefined;
    return tensor && Array.isArray(tensor.data) ? scalar(tensor.data.flat(Infinity)[0]) : null;
  }
  if (b.inputs && typeof b.inputs === "object") {
    const column = (b.inputs as Record<string, unknown>)[key];
    return Array.isArray(column) ? scalar(column[0]) : null;
  }
  return null;
}

/** Takes the sticky field out of every row (or column, or tensor) when the model has no input of that name. */
export function stripStickyField(body: unknown, key: string | undefined, inputs: Set<string>): void {
  if (!key || inputs.has(key) || body === null || typeof body !== "object" || Array.isArray(body)) return;
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.instances)) {
    for (const row of b.instances) if (row !== null && typeof row === "object" && !Array.isArray(row)) delete (row as Record<string, unknown>)[key];
  } else if (Array.isArray(b.inputs)) {
    const index = b.inputs.findIndex((t: unknown) => t !== null && typeof t === "object" && (t as { name?: unknown }).name === key);
    if (index >= 0) b.inputs.splice(index, 1);
  } else if (b.inputs && typeof b.inputs === "object") {
    delete (b.inputs as Record<string, unknown>)[key];
  }
}
