import { GantryError } from "@gantry/schema";

const bad = () => new GantryError("INVALID_INPUT", "Invalid page_token", { field: "page_token" });

/** Opaque to clients: base64url JSON. */
export const encodeToken = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

export function decodeToken(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
}

export const encodeOffsetToken = (offset: number): string => encodeToken({ offset });

export function decodeOffsetToken(token: string | undefined): number {
  if (!token) return 0;
  const value = decodeToken(token) as { offset?: unknown } | null;
  const offset = value?.offset;
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) throw bad();
  return offset;
}
