import { GantryError } from "@gantry/schema";

const MAX_JSON_BODY = 4 * 1024 * 1024;

const invalid = (field: string, message: string) => new GantryError("INVALID_INPUT", message, { field });

/**
 * An MLflow request message: the JSON body, or for GET the query string (repeated keys and
 * `key[]=` become lists, as MLflow's server reads them).
 */
export async function readMessage(request: Request, maxBytes = MAX_JSON_BODY): Promise<Record<string, unknown>> {
  if (request.method === "GET" || request.method === "HEAD") {
    const out: Record<string, unknown> = {};
    for (const [rawKey, value] of new URL(request.url).searchParams) {
      const list = rawKey.endsWith("[]");
      const key = list ? rawKey.slice(0, -2) : rawKey;
      const prev = out[key];
      out[key] = prev === undefined ? (list ? [value] : value) : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
    return out;
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw invalid("body", `Request body is ${declared} bytes; the limit is ${maxBytes}`);
  const text = await readLimited(request, maxBytes);
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GantryError("INVALID_INPUT", "Malformed JSON in request body", { field: "body" });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid("body", "Request body must be a JSON object");
  return value as Record<string, unknown>;
}

async function readLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw invalid("body", `Request body exceeds the limit of ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Typed access to message fields, with MLflow-style messages naming the field. */
export class Message {
  constructor(readonly raw: Record<string, unknown>) {}

  string(field: string, options: { required: true }): string;
  string(field: string, options?: { required?: false }): string | undefined;
  string(field: string, options: { required?: boolean } = {}): string | undefined {
    let v = this.raw[field];
    if (Array.isArray(v) && v.length === 1) v = v[0];
    if (v === undefined || v === null || v === "") {
      if (options.required) throw invalid(field, `Missing value for required parameter '${field}'.`);
      return undefined;
    }
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (typeof v !== "string") throw invalid(field, `Invalid value ${JSON.stringify(v)} for parameter '${field}' supplied: expected a string.`);
    return v;
  }

  /** int64 fields: numbers or decimal strings. */
  int(field: string, options: { required?: boolean } = {}): number | undefined {
    const s = this.string(field, { required: options.required ?? false } as { required: false });
    if (s === undefined) return undefined;
    if (!/^-?\d+$/.test(s.trim())) throw invalid(field, `Invalid value ${JSON.stringify(this.raw[field])} for parameter '${field}' supplied: expected an integer.`);
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw invalid(field, `Value of '${field}' is out of range.`);
    return n;
  }

  bool(field: string): boolean | undefined {
    const v = this.raw[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    throw invalid(field, `Invalid value ${JSON.stringify(v)} for parameter '${field}' supplied: expected a boolean.`);
  }

  strings(field: string): string[] {
    const v = this.raw[field];
    if (v === undefined || v === null) return [];
    const list = Array.isArray(v) ? v : [v];
    return list.map((x) => {
      if (typeof x !== "string" && typeof x !== "number") throw invalid(field, `Invalid value in '${field}': expected strings.`);
      return String(x);
    });
  }

  /** Arrays of objects (metrics, params, tags): validated further by the service's zod contract. */
  objects(field: string): Record<string, unknown>[] {
    const v = this.raw[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "object" || x === null || Array.isArray(x))) throw invalid(field, `Invalid value for '${field}': expected a list of objects.`);
    return v as Record<string, unknown>[];
  }

  /** run_id, or the deprecated run_uuid. */
  runId(): string {
    const id = this.string("run_id") ?? this.string("run_uuid");
    if (!id) throw invalid("run_id", "Missing value for required parameter 'run_id'.");
    return id;
  }
}

/** decodeURIComponent that answers malformed escapes with a 400 naming the field, not a crash. */
export function decodePathPart(raw: string, field = "path"): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalid(field, `Malformed percent-encoding in ${field}`);
  }
}
