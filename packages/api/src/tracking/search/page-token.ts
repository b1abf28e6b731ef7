import { createHash } from "node:crypto";

import { z } from "zod";

import { GantryError } from "@gantry/schema";

import { isSqlSafeText } from "./scanner";
import { canonicalUuid } from "./sql-filter";

/** The SQL type of one sort key, which decides how a cursor value is checked and cast back. */
export type SortKeyType = "float8" | "int8" | "text" | "uuid";
export type CursorShape = { signature: string; keys: readonly { type: SortKeyType; nullable: boolean }[] };

/*
 * A page token is base64url JSON `{ o, k }`: `o` fingerprints the sort order it was made for, `k`
 * holds the last row's sort values (as PostgreSQL's text forms, the run id last). Every value is
 * checked before it reaches SQL, so a forged token is an INVALID_INPUT, never a database error.
 */

const ZPageToken = z.object({ o: z.string(), k: z.array(z.string().nullable()) }).strict();

const int8Min = -(2n ** 63n);
const int8Max = 2n ** 63n - 1n;
const float8Text = /^(?:-?Infinity|[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)$/;

/** A short fingerprint of the order a token belongs to. */
export function orderSignature(order: unknown): string {
  return createHash("sha256").update(JSON.stringify(order)).digest("base64url").slice(0, 16);
}

export function encodePageToken(shape: CursorShape, values: readonly (string | null)[]): string {
  return Buffer.from(JSON.stringify({ o: shape.signature, k: values }), "utf8").toString("base64url");
}

export function decodePageToken(token: string, shape: CursorShape): (string | null)[] {
  let raw: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error("not base64url");
    raw = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    invalid("is not a token this server issued");
  }
  const parsed = ZPageToken.safeParse(raw);
  if (!parsed.success) invalid("is not a token this server issued");
  const { o, k } = parsed.data;
  if (o !== shape.signature || k.length !== shape.keys.length) invalid("was issued for a different order_by");
  shape.keys.forEach((key, i) => {
    const value = k[i] ?? null;
    if (value === null ? !key.nullable : !isValid(key.type, value)) invalid("holds a malformed position");
  });
  return k;
}

function isValid(type: SortKeyType, value: string): boolean {
  switch (type) {
    case "float8":
      return float8Text.test(value) && (value.includes("Infinity") || Number.isFinite(Number(value)));
    case "int8":
      return /^-?\d{1,19}$/.test(value) && BigInt(value) >= int8Min && BigInt(value) <= int8Max;
    case "uuid":
      return canonicalUuid.test(value);
    case "text":
      return isSqlSafeText(value);
  }
}

function invalid(problem: string): never {
  throw new GantryError("INVALID_INPUT", `page_token ${problem}`, { field: "page_token" });
}
