/**
 * The one domain error. Each surface maps `code` once: tRPC codes, MLflow `error_code` + HTTP
 * status, TF Serving `{"error"}` + status.
 */
export const errorCodes = [
  "INVALID_INPUT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PRECONDITION_FAILED",
  "TOO_MANY_REQUESTS",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class GantryError extends Error {
  readonly code: ErrorCode;
  /** The input field at fault, when there is one: surfaces name it to the caller. */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "GantryError";
    this.code = code;
    this.field = options?.field;
  }
}

export const httpStatusOf: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
};

export const isGantryError = (e: unknown): e is GantryError => e instanceof GantryError;
