import type { z } from "zod";

import { GantryError } from "@gantry/schema";

/** Human text for the first problem of a zod error, prefixed with the field path. */
export function describeZodError(error: z.ZodError): { message: string; field: string | undefined } {
  const issue = error.issues[0];
  if (!issue) return { message: "Invalid input", field: undefined };
  const field = issue.path.length ? issue.path.map(String).join(".") : undefined;
  return { message: field ? `${field}: ${issue.message}` : issue.message, field };
}

/** Services validate their own input too: the REST, MLflow and CLI surfaces call them directly. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const { message, field } = describeZodError(result.error);
  throw new GantryError("INVALID_INPUT", message, { field, cause: result.error });
}
