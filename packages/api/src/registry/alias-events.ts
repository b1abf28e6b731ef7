import { modelAliasEvents } from "@gantry/schema";

import type { OrgContext } from "../context";
import type { RegisteredModelRow } from "./lookup";
import { actingUserId } from "./lookup";

/** One row of an alias's history (inside the caller's transaction). `toVersion` null = removed. */
export async function recordAliasMove(
  ctx: OrgContext,
  move: { model: RegisteredModelRow; alias: string; fromVersion: number | null; toVersion: number | null; reason?: string | null },
): Promise<void> {
  await ctx.db.insert(modelAliasEvents).values({
    orgId: ctx.orgId,
    modelId: move.model.id,
    alias: move.alias,
    fromVersion: move.fromVersion,
    toVersion: move.toVersion,
    actorLabel: ctx.actor.label,
    actorId: actingUserId(ctx),
    reason: move.reason ?? null,
  });
}
