import { TRPCError } from "@trpc/server";
import { expect } from "vitest";

import type { Database } from "@gantry/db";

import { appRouter } from "../root";
import type { Caller, OrgFixture } from "./fixtures";
import { callerFor } from "./fixtures";

/** One call of a procedure aimed at org A's resources (ids taken from A's fixture). */
export type CrossOrgCase = (caller: Caller, victim: OrgFixture) => Promise<unknown>;

const DENIED = ["NOT_FOUND", "FORBIDDEN"];

export async function expectDenied(call: Promise<unknown>, codes = DENIED): Promise<TRPCError> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected a denial, got data: ${JSON.stringify(value)?.slice(0, 300)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect(codes).toContain((error as TRPCError).code);
  return error as TRPCError;
}

/**
 * Runs a procedure as three intruders from org B: B's owner naming org A (the org header),
 * B's all-scope key naming org A, and B's owner inside B using A's ids. The first two must be
 * denied; the third must be denied or answer without any of A's data.
 */
export async function assertCrossOrgDenied(db: Database, victim: OrgFixture, intruder: OrgFixture, call: CrossOrgCase) {
  await expectDenied(call(callerFor(db, { userId: intruder.users.owner.id, orgSlug: victim.slug }), victim));
  await expectDenied(call(callerFor(db, { apiKey: intruder.keys.all.secret, orgSlug: victim.slug }), victim));
  const inOwnOrg = await call(intruder.as("owner"), victim).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if ("error" in inOwnOrg) {
    expect(inOwnOrg.error).toBeInstanceOf(TRPCError);
    // Validation errors are fine too: the intruder learned nothing.
    expect([...DENIED, "BAD_REQUEST", "PRECONDITION_FAILED"]).toContain((inOwnOrg.error as TRPCError).code);
  } else {
    const text = JSON.stringify(inOwnOrg.value) ?? "";
    for (const secret of victim.secrets) expect(text, `leaked ${secret}`).not.toContain(secret);
  }
}

/** Every procedure path of the app router with its type. At runtime `procedures` is flat, keyed by dotted path; its type is the nested record. */
export const allProcedures = (): { path: string; type: "query" | "mutation" | "subscription" }[] =>
  Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" | "subscription" } }>).map(([path, p]) => ({
    path,
    type: p._def.type,
  }));
