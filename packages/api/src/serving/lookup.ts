import type { Executor } from "@gantry/db";
import { and, eq, inArray, sql } from "@gantry/db";
import type { DeploymentRevision, deploymentRevisions, Endpoint } from "@gantry/schema";
import { endpoints, GantryError, modelVersions, registeredModels, ZEndpointName } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";

export type EndpointRow = typeof endpoints.$inferSelect;
export type RevisionRow = typeof deploymentRevisions.$inferSelect;

/** The org's endpoint of that name; NOT_FOUND names it. */
export async function endpointByName(ctx: OrgContext, rawName: string, options: { forUpdate?: boolean } = {}): Promise<EndpointRow> {
  const name = parseInput(ZEndpointName, rawName);
  const query = ctx.db
    .select()
    .from(endpoints)
    .where(and(eq(endpoints.orgId, ctx.orgId), eq(endpoints.name, name)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw new GantryError("NOT_FOUND", `No endpoint named '${name}'`, { field: "name" });
  return row;
}

/** Model name and version number per version id, as they are now (a model may have been renamed since the deploy). */
export async function versionNames(ctx: OrgContext, versionIds: string[]): Promise<Map<string, { model: string; version: number }>> {
  const out = new Map<string, { model: string; version: number }>();
  if (!versionIds.length) return out;
  const rows = await ctx.db
    .select({ id: modelVersions.id, model: registeredModels.name, version: modelVersions.version })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(and(eq(modelVersions.orgId, ctx.orgId), inArray(modelVersions.id, versionIds)));
  for (const r of rows) out.set(r.id, { model: r.model, version: r.version });
  return out;
}

export const toRevision = (row: RevisionRow): DeploymentRevision => ({
  id: row.id,
  revision: row.revision,
  policy: row.policy,
  deployedBy: row.deployedByLabel,
  reason: row.reason,
  rolledBackFrom: row.rolledBackFrom,
  createdAt: row.createdAt,
});

/** Endpoints with their current revisions (null before the first deploy). */
export async function hydrateEndpoints(ctx: OrgContext, rows: { endpoint: EndpointRow; revision: RevisionRow | null }[]): Promise<Endpoint[]> {
  const names = await versionNames(
    ctx,
    rows.flatMap((r) => r.revision?.modelVersionIds ?? []),
  );
  return rows.map(({ endpoint: e, revision: r }) => {
    const variant = r?.policy.variants[0];
    const now = variant ? names.get(variant.modelVersionId) : undefined;
    return {
      id: e.id,
      name: e.name,
      description: e.description,
      auth: e.auth,
      status: e.status,
      followAlias: e.followAlias,
      revision: r?.revision ?? null,
      model: now?.model ?? variant?.model ?? null,
      version: now?.version ?? variant?.version ?? null,
      via: variant?.via ?? null,
      createdBy: e.createdBy,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  });
}

/** Channel the serving processes LISTEN on; the payload is the endpoint id. */
export const ENDPOINTS_CHANNEL = "gantry_endpoints";

/**
 * Tells every serving process that an endpoint changed (deploy, rollback, pause, auth, delete).
 * Sent inside the caller's transaction, so it is delivered only if the change commits.
 */
export async function notifyEndpointChanged(db: Executor, endpointId: string): Promise<void> {
  await db.execute(sql`select pg_notify(${ENDPOINTS_CHANNEL}, ${endpointId})`);
}
