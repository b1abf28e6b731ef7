import { and, asc, desc, eq, sql } from "@gantry/db";
import type { ModelVersion, RegisteredModel } from "@gantry/schema";
import { GantryError, modelVersions, registeredModels } from "@gantry/schema";

import type { OrgContext } from "../context";
import { decodeOffsetToken, encodeOffsetToken } from "../tracking/page-token";
import { aliasesByVersion, toModelVersion } from "./lookup";
import { describeModels } from "./models";
import { clauseSql, parseRegistryFilter, parseRegistryOrderBy } from "./search-filter";

export type RegistrySearchInput = { filter?: string; orderBy?: string[]; maxResults?: number; pageToken?: string };

function pageSize(maxResults: number | undefined, fallback: number, limit: number): number {
  const n = maxResults ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > limit) throw new GantryError("INVALID_INPUT", `max_results must be between 1 and ${limit}`, { field: "max_results" });
  return n;
}

/** Offset tokens, as MLflow's own: registries are small, and an absent token means the end. */
const page = <T>(rows: T[], size: number, offset: number) => ({ rows: rows.slice(0, size), nextPageToken: rows.length > size ? encodeOffsetToken(offset + size) : undefined });

/** The org's models matching an MLflow filter (`name LIKE 'x%'`, `tags.k = 'v'`), by name unless ordered otherwise. */
export async function searchRegisteredModels(ctx: OrgContext, input: RegistrySearchInput): Promise<{ models: RegisteredModel[]; nextPageToken?: string }> {
  const size = pageSize(input.maxResults, 100, 1000);
  const offset = decodeOffsetToken(input.pageToken);
  const clauses = parseRegistryFilter(input.filter, ["name"]).map((c) =>
    clauseSql(c.tag ? sql`${registeredModels.tags}->>${c.key}` : sql`${registeredModels.name}`, c),
  );
  const order = parseRegistryOrderBy(input.orderBy ?? [], {
    name: sql`${registeredModels.name}`,
    timestamp: sql`${registeredModels.updatedAt}`,
    last_updated_timestamp: sql`${registeredModels.updatedAt}`,
    creation_timestamp: sql`${registeredModels.createdAt}`,
  });
  const rows = await ctx.db
    .select()
    .from(registeredModels)
    .where(and(eq(registeredModels.orgId, ctx.orgId), ...clauses))
    .orderBy(...order, asc(registeredModels.name))
    .limit(size + 1)
    .offset(offset);
  const { rows: shown, nextPageToken } = page(rows, size, offset);
  return { models: await describeModels(ctx, shown), nextPageToken };
}

/** The org's versions matching an MLflow filter (`name = 'm'`, `run_id = '…'`, `run_id IN (…)`, `tags.k = 'v'`), newest first. */
export async function searchModelVersions(ctx: OrgContext, input: RegistrySearchInput): Promise<{ versions: ModelVersion[]; nextPageToken?: string }> {
  const size = pageSize(input.maxResults, 200_000, 200_000);
  const offset = decodeOffsetToken(input.pageToken);
  const attribute: Record<string, ReturnType<typeof sql>> = { name: sql`${registeredModels.name}`, run_id: sql`${modelVersions.sourceRunId}::text` };
  const clauses = parseRegistryFilter(input.filter, Object.keys(attribute)).map((c) =>
    clauseSql(c.tag ? sql`${modelVersions.tags}->>${c.key}` : (attribute[c.key] ?? sql`null`), c),
  );
  const order = parseRegistryOrderBy(input.orderBy ?? [], {
    name: sql`${registeredModels.name}`,
    version_number: sql`${modelVersions.version}`,
    timestamp: sql`${modelVersions.createdAt}`,
    creation_timestamp: sql`${modelVersions.createdAt}`,
    last_updated_timestamp: sql`${modelVersions.createdAt}`,
  });
  const rows = await ctx.db
    .select({ v: modelVersions, name: registeredModels.name })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(and(eq(modelVersions.orgId, ctx.orgId), eq(registeredModels.orgId, ctx.orgId), ...clauses))
    .orderBy(...(order.length ? order : [desc(modelVersions.createdAt)]), asc(registeredModels.name), desc(modelVersions.version))
    .limit(size + 1)
    .offset(offset);
  const { rows: shown, nextPageToken } = page(rows, size, offset);
  const aliases = await aliasesByVersion(
    ctx,
    shown.map((r) => r.v.id),
  );
  return { versions: shown.map((r) => toModelVersion(r.v, r.name, aliases.get(r.v.id) ?? [])), nextPageToken };
}
