import type { ModelSignature } from "@gantry/schema/registry";

/** A plausible value for an input of a signature's type: what the console pre-fills. */
export function exampleValue(input: ModelSignature["inputs"][number]): string | number | boolean {
  switch (input.type) {
    case "integer":
      return 1;
    case "numeric":
      return 1.5;
    case "boolean":
      return true;
    case "categorical":
      return input.categories?.[0] ?? "a";
    case "datetime":
      return "2024-01-01";
    default:
      return "text";
  }
}

/** One example row for a signature (`{}` without one), as a prediction body. */
export function exampleBody(signature: ModelSignature | null | undefined): string {
  const row = Object.fromEntries((signature?.inputs ?? []).map((i) => [i.name, exampleValue(i)]));
  return JSON.stringify({ instances: [row] }, null, 2);
}

/**
 * The rows of what the console's textarea holds: `{"instances": [...]}` (the body as curl sends it),
 * a list of rows, or a single row. Throws with a message to show when it is none of these.
 */
export function parseInstances(text: string): Record<string, unknown>[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const rows = Array.isArray(value) ? value : value && typeof value === "object" && "instances" in value ? (value as { instances: unknown }).instances : [value];
  if (!Array.isArray(rows) || !rows.every((r) => r !== null && typeof r === "object" && !Array.isArray(r))) {
    throw new Error('Send {"instances": [{"column": value, …}]}: a list of rows, each an object of column: value');
  }
  return rows as Record<string, unknown>[];
}
