import { TRPCClientError } from "@trpc/client";

/** The message and the offending field of a failed call, for inline form errors. */
export function errorInfo(error: unknown): { message: string; field: string | null } {
  if (error instanceof TRPCClientError) {
    const data = error.data as { field?: string | null } | undefined;
    return { message: error.message, field: data?.field ?? null };
  }
  return { message: error instanceof Error ? error.message : "Something went wrong", field: null };
}

/** `variants[1].model` and `variants.1.model` (zod's path) name the same field. */
export const fieldKey = (field: string) => field.replace(/\[(\d+)\]/g, ".$1");

/** A failed call's errors for a form: the message for one field (without its "field: " prefix), and the whole failure. */
export function formErrors(error: unknown) {
  const failure = error ? errorInfo(error) : null;
  return {
    failure,
    fieldError: (name: string) => (failure?.field && fieldKey(failure.field) === fieldKey(name) ? failure.message.replace(/^[\w.[\]]+: /, "") : null),
  };
}
