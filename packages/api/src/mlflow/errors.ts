import { GantryError } from "@gantry/schema";
import type { ErrorCode } from "@gantry/schema";

/** MLflow's error_code and HTTP status for each domain error (specs/mlflow-api.md §1). */
const mlflowErrors: Record<ErrorCode, { code: string; status: number }> = {
  INVALID_INPUT: { code: "INVALID_PARAMETER_VALUE", status: 400 },
  UNAUTHENTICATED: { code: "UNAUTHENTICATED", status: 401 },
  FORBIDDEN: { code: "PERMISSION_DENIED", status: 403 },
  NOT_FOUND: { code: "RESOURCE_DOES_NOT_EXIST", status: 404 },
  // MLflow answers a duplicate with 400 RESOURCE_ALREADY_EXISTS, not 409.
  CONFLICT: { code: "RESOURCE_ALREADY_EXISTS", status: 400 },
  PRECONDITION_FAILED: { code: "INVALID_STATE", status: 400 },
  TOO_MANY_REQUESTS: { code: "REQUEST_LIMIT_EXCEEDED", status: 429 },
  INTERNAL: { code: "INTERNAL_ERROR", status: 500 },
};

export const mlflowError = (code: string, message: string, status: number) => Response.json({ error_code: code, message }, { status });

export function mlflowErrorResponse(error: unknown): Response {
  if (error instanceof GantryError) {
    const { code, status } = mlflowErrors[error.code];
    return mlflowError(code, error.message, status);
  }
  console.error("MLflow API error:", error);
  return mlflowError("INTERNAL_ERROR", "Internal error", 500);
}

export const endpointNotFound = (method: string, path: string) => mlflowError("ENDPOINT_NOT_FOUND", `No API endpoint ${method} ${path}`, 404);

/** MLflow answers {} when a tag or alias to remove is already gone; an unknown model or version is still a 404. */
export async function ignoreMissing(field: string, removal: Promise<unknown>): Promise<Record<string, never>> {
  try {
    await removal;
  } catch (error) {
    if (!(error instanceof GantryError && error.code === "NOT_FOUND" && error.field === field)) throw error;
  }
  return {};
}
