import { GantryError } from "@gantry/schema";

/*
 * TensorFlow Serving reads and writes the bare tokens NaN, Infinity and -Infinity (RapidJSON's
 * kParseNanAndInfFlag), which JSON.parse rejects. The native parser takes every ordinary body; only
 * a body it refuses is scanned once more, with those tokens (outside strings) turned into marked
 * strings that the reviver turns back into numbers. Anything else still fails as JSON does.
 */

/** A NUL-led marker: no JSON text from a client holds it unescaped, and JSON.stringify writes it as `\u0000`. */
const MARK = "\u0000gantry-number:";
const ESCAPED_MARK = "\\u0000gantry-number:";
const TOKENS = ["-Infinity", "Infinity", "NaN"] as const;

function markNonFinite(text: string): string | null {
  let out = "";
  let last = 0;
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // Skip the string, escapes included.
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 92 /* \ */) i++;
        else if (s === 34) break;
      }
      continue;
    }
    if (c !== 45 /* - */ && c !== 73 /* I */ && c !== 78 /* N */) continue;
    const token = TOKENS.find((t) => text.startsWith(t, i));
    if (!token) continue;
    out += `${text.slice(last, i)}"${ESCAPED_MARK}${token}"`;
    i += token.length - 1;
    last = i + 1;
    found = true;
  }
  return found ? out + text.slice(last) : null;
}

const revive = (_key: string, value: unknown) => (typeof value === "string" && value.startsWith(MARK) ? Number(value.slice(MARK.length)) : value);

/** Parses a request body as TensorFlow Serving does; INVALID_INPUT (with the parser's reason) when it is not JSON. */
export function parseTolerantJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const marked = markNonFinite(text);
    if (marked !== null) {
      try {
        return JSON.parse(marked, revive);
      } catch {
        // fall through to the original error: it points at the caller's text, not ours
      }
    }
    throw new GantryError("INVALID_INPUT", `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { field: "body" });
  }
}

/**
 * JSON with non-finite numbers written as TensorFlow Serving writes them (NaN, Infinity, -Infinity).
 * The replacer costs a call per value: callers use it only when an answer holds such a number.
 */
export function stringifyTolerantJson(value: unknown): string {
  let nonFinite = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "number" && !Number.isFinite(v)) {
      nonFinite = true;
      return `${MARK}${String(v)}`;
    }
    return v;
  });
  return nonFinite ? text.replaceAll(/"\\u0000gantry-number:(-?Infinity|NaN)"/g, "$1") : text;
}
