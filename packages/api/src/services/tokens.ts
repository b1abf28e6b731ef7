import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

export const randomToken = (bytes: number): string => randomBytes(bytes).toString("base64url");

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

export const randomHex = (bytes: number): string => randomBytes(bytes).toString("hex");
