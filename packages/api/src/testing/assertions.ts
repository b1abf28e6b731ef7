import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { getErrorShape } from "@trpc/server/unstable-core-do-not-import";

import type { Database } from "@gantry/db";
import { asc, eq } from "@gantry/db";
import { auditEvents } from "@gantry/schema";

import { appRouter } from "../root";
import { expectDenied } from "./cross-org";

/** What a client would see of a failed call: the code and the formatted message and field. */
export type ClientError = { code: TRPC_ERROR_CODE_KEY; message: string; field: string | null };

/**
 * Expects the call to fail with `code` and returns the error as the app's error formatter
 * shapes it for clients (zod issues in words, the field at fault).
 */
export async function expectError(call: Promise<unknown>, code: TRPC_ERROR_CODE_KEY): Promise<ClientError> {
  const error = await expectDenied(call, [code]);
  const shape = getErrorShape({ config: appRouter._def._config, error, type: "unknown", path: undefined, input: undefined, ctx: undefined });
  return { code: error.code, message: shape.message, field: shape.data.field };
}

/** The org's audit actions, oldest first, straight from the table. */
export async function auditActionsOf(db: Database, orgId: string): Promise<string[]> {
  const rows = await db.select({ action: auditEvents.action, id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.orgId, orgId)).orderBy(asc(auditEvents.id));
  return rows.map((r) => r.action);
}
