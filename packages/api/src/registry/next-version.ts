import { eq } from "@gantry/db";
import type { ModelSignature } from "@gantry/schema";
import { GantryError, modelVersions, registeredModels } from "@gantry/schema";

import type { OrgContext } from "../context";
import { mutate } from "../services/audit";
import type { ModelVersionRow, RegisteredModelRow } from "./lookup";
import { actingUserId, modelByName } from "./lookup";

export type NewVersion = {
  name: string;
  sourceRunId: string | null;
  datasetVersionId: string | null;
  pipeline: { sha256: string; size: number };
  signature: ModelSignature | null;
  metrics: Record<string, number>;
  description: string | null;
  /** Extra fields of the `model.version.create` audit event. */
  audit: Record<string, unknown>;
};

/**
 * Inserts the next version of `name`, creating the model when missing, in one audited
 * transaction. The number is the model's `lastVersion` + 1 under a lock on the model row, so
 * concurrent registrations queue up, and a deleted version's number is never given again.
 */
export async function insertNextVersion(ctx: OrgContext, v: NewVersion): Promise<{ row: ModelVersionRow; model: RegisteredModelRow }> {
  return mutate(
    ctx,
    (r: { row: ModelVersionRow; model: RegisteredModelRow; modelCreated: boolean }) => ({
      action: "model.version.create",
      targetType: "model_version",
      targetId: r.row.id,
      data: { name: r.model.name, version: r.row.version, ...v.audit, modelCreated: r.modelCreated },
    }),
    async (tx) => {
      const c = { ...ctx, db: tx };
      const created = await tx
        .insert(registeredModels)
        .values({ orgId: ctx.orgId, name: v.name, createdBy: actingUserId(ctx), updatedBy: actingUserId(ctx) })
        .onConflictDoNothing()
        .returning({ id: registeredModels.id });
      const model = await modelByName(c, v.name, { forUpdate: true });
      const number = model.lastVersion + 1;
      const [row] = await tx
        .insert(modelVersions)
        .values({
          orgId: ctx.orgId,
          modelId: model.id,
          version: number,
          sourceRunId: v.sourceRunId,
          datasetVersionId: v.datasetVersionId,
          pipelineSha256: v.pipeline.sha256,
          pipelineSize: v.pipeline.size,
          signature: v.signature,
          metrics: v.metrics,
          status: "ready",
          description: v.description,
          createdBy: actingUserId(ctx),
        })
        .returning();
      if (!row) throw new GantryError("INTERNAL", "version insert returned nothing");
      await tx.update(registeredModels).set({ lastVersion: number, updatedBy: actingUserId(ctx) }).where(eq(registeredModels.id, model.id));
      return { row, model, modelCreated: created.length > 0 };
    },
  );
}
