import { GantryError, httpStatusOf } from "@gantry/schema";

/** The JSON error body of our own REST routes: `{ error: { code, message, field } }`. */
export function errorResponse(error: unknown): Response {
  if (error instanceof GantryError) {
    return Response.json({ error: { code: error.code, message: error.message, field: error.field ?? null } }, { status: httpStatusOf[error.code] });
  }
  console.error(error);
  return Response.json({ error: { code: "INTERNAL", message: "Internal error", field: null } }, { status: 500 });
}
