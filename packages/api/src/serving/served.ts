import { and, eq, sql } from "@gantry/db";
import type { Executor } from "@gantry/db";
import { deploymentRevisions, endpoints, GantryError } from "@gantry/schema";

import type { OrgContext } from "../context";

export type ServingEndpoint = { endpointId: string; endpoint: string; revision: number; modelVersionId: string };

/**
 * The endpoints whose CURRENT revision serves any of `versionIds` (one row per endpoint and
 * version). Earlier revisions do not count: they serve nothing until rolled back to, and a
 * rollback checks its versions again.
 */
export async function versionsServedBy(db: Executor, orgId: string, versionIds: string[]): Promise<ServingEndpoint[]> {
  if (!versionIds.length) return [];
  const wanted = sql`ARRAY[${sql.join(
    versionIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;
  const rows = await db
    .select({ endpointId: endpoints.id, endpoint: endpoints.name, revision: deploymentRevisions.revision, versionIds: deploymentRevisions.modelVersionIds })
    .from(endpoints)
    .innerJoin(deploymentRevisions, eq(deploymentRevisions.id, endpoints.currentRevisionId))
    .where(and(eq(endpoints.orgId, orgId), sql`${deploymentRevisions.modelVersionIds} && ${wanted}`))
    .orderBy(endpoints.name);
  const set = new Set(versionIds);
  return rows.flatMap((r) => r.versionIds.filter((id) => set.has(id)).map((modelVersionId) => ({ endpointId: r.endpointId, endpoint: r.endpoint, revision: r.revision, modelVersionId })));
}

/** The endpoints of the org whose current revision serves the version. */
export function endpointsServingVersion(ctx: OrgContext, versionId: string): Promise<ServingEndpoint[]> {
  return versionsServedBy(ctx.db, ctx.orgId, [versionId]);
}

/**
 * PRECONDITION_FAILED naming every endpoint that serves one of the versions; the caller holds
 * the versions' rows `FOR UPDATE`, so no deploy can start serving them before it commits.
 */
export async function assertNotServed(ctx: OrgContext, model: string, versions: { id: string; version: number }[], doing: string): Promise<void> {
  const served = await versionsServedBy(
    ctx.db,
    ctx.orgId,
    versions.map((v) => v.id),
  );
  if (!served.length) return;
  const numberOf = new Map(versions.map((v) => [v.id, v.version]));
  const what = served.map((s) => `version ${numberOf.get(s.modelVersionId)} of '${model}' serves endpoint '${s.endpoint}' (revision ${s.revision})`).join("; ");
  throw new GantryError("PRECONDITION_FAILED", `Cannot ${doing}: ${what}; deploy another version there first`, { field: "version" });
}
