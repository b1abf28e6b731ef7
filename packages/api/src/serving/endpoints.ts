import { and, asc, desc, eq, sql } from "@gantry/db";
import type { CreateEndpointInput, Endpoint, EndpointDetail, EndpointStatus, UpdateEndpointInput } from "@gantry/schema";
import { deploymentRevisions, endpoints, GantryError, ZCreateEndpointInput, ZEndpointName, ZUpdateEndpointInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { actingUserId, isUniqueViolation } from "../registry/lookup";
import { mutate } from "../services/audit";
import type { EndpointRow } from "./lookup";
import { endpointByName, hydrateEndpoints, notifyEndpointChanged, toRevision } from "./lookup";

/** A new endpoint, serving nothing until its first deploy. */
export async function createEndpoint(ctx: OrgContext, raw: CreateEndpointInput): Promise<EndpointDetail> {
  const input = parseInput(ZCreateEndpointInput, raw);
  try {
    await mutate(
      ctx,
      (row: EndpointRow) => ({ action: "endpoint.create", targetType: "endpoint", targetId: row.id, data: { name: row.name, auth: row.auth, followAlias: row.followAlias } }),
      async (tx) => {
        const [row] = await tx
          .insert(endpoints)
          .values({ orgId: ctx.orgId, name: input.name, description: input.description ?? null, auth: input.auth, followAlias: input.followAlias ?? null, createdBy: actingUserId(ctx) })
          .returning();
        if (!row) throw new GantryError("INTERNAL", "endpoint insert returned nothing");
        return row;
      },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new GantryError("CONFLICT", `An endpoint named '${input.name}' already exists`, { field: "name" });
    throw error;
  }
  return getEndpoint(ctx, input.name);
}

/** The org's endpoints by name, each with what its current revision serves. */
export async function listEndpoints(ctx: OrgContext): Promise<Endpoint[]> {
  const rows = await ctx.db
    .select({ endpoint: endpoints, revision: deploymentRevisions })
    .from(endpoints)
    .leftJoin(deploymentRevisions, eq(deploymentRevisions.id, endpoints.currentRevisionId))
    .where(eq(endpoints.orgId, ctx.orgId))
    .orderBy(asc(endpoints.name));
  return hydrateEndpoints(ctx, rows);
}

/** The endpoint with every revision, newest first. */
export async function getEndpoint(ctx: OrgContext, name: string): Promise<EndpointDetail> {
  const endpoint = await endpointByName(ctx, name);
  const revisions = await ctx.db.select().from(deploymentRevisions).where(eq(deploymentRevisions.endpointId, endpoint.id)).orderBy(desc(deploymentRevisions.revision));
  const current = revisions.find((r) => r.id === endpoint.currentRevisionId) ?? null;
  const [out] = await hydrateEndpoints(ctx, [{ endpoint, revision: current }]);
  if (!out) throw new GantryError("INTERNAL", "endpoint vanished");
  return { ...out, revisions: revisions.map(toRevision) };
}

async function changeEndpoint(ctx: OrgContext, name: string, audit: { action: string; data: Record<string, unknown> }, set: Partial<EndpointRow>): Promise<EndpointDetail> {
  await mutate(
    ctx,
    (id: string) => ({ action: audit.action, targetType: "endpoint", targetId: id, data: { name, ...audit.data } }),
    async (tx) => {
      const row = await endpointByName({ ...ctx, db: tx }, name, { forUpdate: true });
      await tx
        .update(endpoints)
        .set({ ...set, updatedAt: sql`now()` })
        .where(and(eq(endpoints.id, row.id), eq(endpoints.orgId, ctx.orgId)));
      await notifyEndpointChanged(tx, row.id);
      return row.id;
    },
  );
  return getEndpoint(ctx, name);
}

/** Description, auth and the followed alias; fields left out stay as they are (null clears). */
export function updateEndpoint(ctx: OrgContext, raw: UpdateEndpointInput): Promise<EndpointDetail> {
  const { name, ...fields } = parseInput(ZUpdateEndpointInput, raw);
  const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<EndpointRow>;
  return changeEndpoint(ctx, name, { action: "endpoint.update", data: { fields: Object.keys(set), ...set } }, set);
}

function setStatus(ctx: OrgContext, name: string, status: EndpointStatus): Promise<EndpointDetail> {
  return changeEndpoint(ctx, parseInput(ZEndpointName, name), { action: status === "paused" ? "endpoint.pause" : "endpoint.resume", data: {} }, { status });
}

/** A paused endpoint keeps its revisions and answers no predictions until resumed. */
export const pauseEndpoint = (ctx: OrgContext, name: string) => setStatus(ctx, name, "paused");
export const resumeEndpoint = (ctx: OrgContext, name: string) => setStatus(ctx, name, "active");

/** The endpoint and its revisions. */
export async function deleteEndpoint(ctx: OrgContext, name: string): Promise<void> {
  await mutate(
    ctx,
    (row: EndpointRow) => ({ action: "endpoint.delete", targetType: "endpoint", targetId: row.id, data: { name: row.name } }),
    async (tx) => {
      const row = await endpointByName({ ...ctx, db: tx }, name, { forUpdate: true });
      await tx.update(endpoints).set({ currentRevisionId: null }).where(eq(endpoints.id, row.id));
      await tx.delete(endpoints).where(eq(endpoints.id, row.id));
      await notifyEndpointChanged(tx, row.id);
      return row;
    },
  );
}
