import { and, desc, eq, inArray, sql } from "@gantry/db";
import type { DeployTarget, EndpointDetail, TrafficPolicy } from "@gantry/schema";
import { deploymentRevisions, endpoints, GantryError, modelAliases, modelVersions, ZDeployInput, ZRollbackInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import type { ModelVersionRow, RegisteredModelRow } from "../registry/lookup";
import { actingUserId, modelByName } from "../registry/lookup";
import { parseModelUri } from "../registry/resolve";
import { mutate, recordAudit } from "../services/audit";
import { getEndpoint } from "./endpoints";
import type { EndpointRow, RevisionRow } from "./lookup";
import { endpointByName, notifyEndpointChanged } from "./lookup";

export type Resolved = { model: RegisteredModelRow; version: ModelVersionRow; via?: string };

/** A version can be deployed when it is ready and not archived. */
function assertDeployable(model: string, version: ModelVersionRow): void {
  if (version.archived) throw new GantryError("PRECONDITION_FAILED", `Version ${version.version} of '${model}' is archived: unarchive it to deploy it`, { field: "model" });
  if (version.status !== "ready") throw new GantryError("PRECONDITION_FAILED", `Version ${version.version} of '${model}' is ${version.status}, not ready`, { field: "model" });
}

/**
 * The concrete version a deploy names, locked `FOR SHARE` until the deploy commits: a concurrent
 * delete or archive (which lock it `FOR UPDATE` and then look for endpoints serving it) waits and
 * then sees the new revision.
 */
export async function resolveTarget(ctx: OrgContext, target: DeployTarget): Promise<Resolved> {
  const ref = typeof target === "string" ? parseModelUri(target) : "alias" in target ? { name: target.model, kind: "alias" as const, alias: target.alias } : { name: target.model, kind: "version" as const, version: target.version };
  const model = await modelByName(ctx, ref.name);
  let number: number;
  if (ref.kind === "version") number = ref.version;
  else if (ref.kind === "alias") {
    const [row] = await ctx.db
      .select({ version: modelVersions.version })
      .from(modelAliases)
      .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
      .where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, ref.alias)));
    if (!row) throw new GantryError("NOT_FOUND", `Model '${model.name}' has no alias '${ref.alias}'`, { field: "model" });
    number = row.version;
  } else {
    const [row] = await ctx.db
      .select({ version: modelVersions.version })
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.archived, false)))
      .orderBy(desc(modelVersions.version))
      .limit(1);
    if (!row) throw new GantryError("NOT_FOUND", `Model '${model.name}' has no version that is not archived`, { field: "model" });
    number = row.version;
  }
  const [version] = await ctx.db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, number)))
    .for("share");
  if (!version) throw new GantryError("NOT_FOUND", `Model '${model.name}' has no version ${number}`, { field: "model" });
  assertDeployable(model.name, version);
  return { model, version, via: ref.kind === "alias" ? ref.alias : undefined };
}

export const singlePolicy = ({ model, version, via }: Resolved): TrafficPolicy => ({
  kind: "single",
  variants: [{ name: "default", modelVersionId: version.id, model: model.name, version: version.version, ...(via ? { via } : {}), weight: 100 }],
});

/** Writes revision n+1 and makes it current; the caller holds the endpoint row `FOR UPDATE`. */
export async function writeRevision(ctx: OrgContext, endpoint: EndpointRow, input: { policy: TrafficPolicy; reason: string | null; rolledBackFrom?: number }): Promise<RevisionRow> {
  const [last] = await ctx.db
    .select({ revision: deploymentRevisions.revision })
    .from(deploymentRevisions)
    .where(eq(deploymentRevisions.endpointId, endpoint.id))
    .orderBy(desc(deploymentRevisions.revision))
    .limit(1);
  const [row] = await ctx.db
    .insert(deploymentRevisions)
    .values({
      orgId: ctx.orgId,
      endpointId: endpoint.id,
      revision: (last?.revision ?? 0) + 1,
      policy: input.policy,
      modelVersionIds: input.policy.variants.map((v) => v.modelVersionId),
      deployedBy: actingUserId(ctx),
      deployedByLabel: ctx.actor.label,
      reason: input.reason,
      rolledBackFrom: input.rolledBackFrom ?? null,
    })
    .returning();
  if (!row) throw new GantryError("INTERNAL", "revision insert returned nothing");
  await ctx.db.update(endpoints).set({ currentRevisionId: row.id, updatedAt: sql`now()` }).where(eq(endpoints.id, endpoint.id));
  await notifyEndpointChanged(ctx.db, endpoint.id);
  return row;
}

export const deployAudit = (endpoint: string, r: RevisionRow) => {
  const v = r.policy.variants[0];
  return {
    action: "endpoint.deploy",
    targetType: "endpoint",
    targetId: r.endpointId,
    data: {
      name: endpoint,
      revision: r.revision,
      kind: r.policy.kind,
      model: v.model,
      version: v.version,
      via: v.via ?? null,
      ...(r.policy.kind === "single" ? {} : { variants: r.policy.variants.map((x) => ({ name: x.name, model: x.model, version: x.version, weight: x.weight })) }),
      reason: r.reason,
      rolledBackFrom: r.rolledBackFrom,
    },
  };
};

/**
 * Deploys a version on the endpoint: `models:/name@alias`, `models:/name/3`, `{model, version}` or
 * `{model, alias}`, resolved now to a ready, non-archived version of the org and pinned by id
 * (an alias is recorded as `via`; it does not follow later moves unless the endpoint follows it).
 */
export async function deploy(ctx: OrgContext, name: string, raw: { model: DeployTarget; reason?: string }): Promise<EndpointDetail> {
  const input = parseInput(ZDeployInput, { name, ...raw });
  await mutate(
    ctx,
    (r: RevisionRow) => deployAudit(input.name, r),
    async (tx) => {
      const c = { ...ctx, db: tx };
      const endpoint = await endpointByName(c, input.name, { forUpdate: true });
      const target = await resolveTarget(c, input.model);
      return writeRevision(c, endpoint, { policy: singlePolicy(target), reason: input.reason ?? null });
    },
  );
  return getEndpoint(ctx, input.name);
}

async function revisionByNumber(ctx: OrgContext, endpoint: EndpointRow, revision: number): Promise<RevisionRow> {
  const [row] = await ctx.db
    .select()
    .from(deploymentRevisions)
    .where(and(eq(deploymentRevisions.endpointId, endpoint.id), eq(deploymentRevisions.revision, revision)));
  if (!row) throw new GantryError("NOT_FOUND", `Endpoint '${endpoint.name}' has no revision ${revision}`, { field: "revision" });
  return row;
}

/** The newest revision before the current one that served other versions (a redeploy of the same version is skipped). */
async function previousRevision(ctx: OrgContext, endpoint: EndpointRow): Promise<RevisionRow> {
  const rows = await ctx.db.select().from(deploymentRevisions).where(eq(deploymentRevisions.endpointId, endpoint.id)).orderBy(desc(deploymentRevisions.revision));
  const current = rows.find((r) => r.id === endpoint.currentRevisionId);
  const served = (r: RevisionRow) => [...r.modelVersionIds].sort().join(",");
  const previous = current && rows.find((r) => r.revision < current.revision && served(r) !== served(current));
  if (!previous) throw new GantryError("PRECONDITION_FAILED", `Endpoint '${endpoint.name}' has no earlier revision serving something else to roll back to`, { field: "revision" });
  return previous;
}

/** A new revision with an earlier revision's policy (its versions must still exist, ready and not archived). */
export async function rollback(ctx: OrgContext, name: string, raw: { revision?: number; reason?: string }): Promise<EndpointDetail> {
  const input = parseInput(ZRollbackInput, { name, ...raw });
  await mutate(
    ctx,
    (r: RevisionRow) => deployAudit(input.name, r),
    async (tx) => {
      const c = { ...ctx, db: tx };
      const endpoint = await endpointByName(c, input.name, { forUpdate: true });
      const target = input.revision === undefined ? await previousRevision(c, endpoint) : await revisionByNumber(c, endpoint, input.revision);
      if (target.id === endpoint.currentRevisionId) throw new GantryError("PRECONDITION_FAILED", `Revision ${target.revision} is already current on '${endpoint.name}'`, { field: "revision" });
      const versions = await tx
        .select()
        .from(modelVersions)
        .where(and(eq(modelVersions.orgId, ctx.orgId), inArray(modelVersions.id, target.modelVersionIds)))
        .for("share");
      for (const v of target.policy.variants) {
        const row = versions.find((r) => r.id === v.modelVersionId);
        if (!row) throw new GantryError("PRECONDITION_FAILED", `Revision ${target.revision} serves version ${v.version} of '${v.model}', which has been deleted`, { field: "revision" });
        assertDeployable(v.model, row);
      }
      return writeRevision(c, endpoint, { policy: target.policy, reason: input.reason ?? `rollback to revision ${target.revision}`, rolledBackFrom: target.revision });
    },
  );
  return getEndpoint(ctx, input.name);
}

/**
 * Called by `setAlias` inside its transaction (model row locked): every endpoint that follows
 * `alias` and currently serves a version of the model gets a new revision on the alias's new
 * version. A follower that cannot take the version (archived, not ready) fails the alias move.
 */
export async function redeployFollowers(ctx: OrgContext, input: { model: RegisteredModelRow; alias: string; from: number | null; to: ModelVersionRow }): Promise<void> {
  const followers = await ctx.db
    .select({ endpoint: endpoints, versionIds: deploymentRevisions.modelVersionIds })
    .from(endpoints)
    .innerJoin(deploymentRevisions, eq(deploymentRevisions.id, endpoints.currentRevisionId))
    .where(
      and(
        eq(endpoints.orgId, ctx.orgId),
        eq(endpoints.followAlias, input.alias),
        sql`exists (select 1 from ${modelVersions} where ${modelVersions.id} = any(${deploymentRevisions.modelVersionIds}) and ${modelVersions.modelId} = ${input.model.id})`,
      ),
    )
    .orderBy(endpoints.name)
    .for("update", { of: endpoints });
  for (const { endpoint, versionIds } of followers) {
    if (versionIds.length === 1 && versionIds[0] === input.to.id) continue;
    const [locked] = await ctx.db.select().from(modelVersions).where(eq(modelVersions.id, input.to.id)).for("share");
    if (!locked) throw new GantryError("NOT_FOUND", `Model '${input.model.name}' has no version ${input.to.version}`, { field: "version" });
    try {
      assertDeployable(input.model.name, locked);
    } catch (error) {
      if (error instanceof GantryError) throw new GantryError(error.code, `Endpoint '${endpoint.name}' follows alias '${input.alias}': ${error.message}`, { field: "version" });
      throw error;
    }
    const from = input.from === null ? "nowhere" : `v${input.from}`;
    const row = await writeRevision(ctx, endpoint, {
      policy: singlePolicy({ model: input.model, version: locked, via: input.alias }),
      reason: `alias ${input.alias} moved from ${from} to v${input.to.version}`,
    });
    await recordAudit(ctx.db, ctx.orgId, ctx.actor, deployAudit(endpoint.name, row));
  }
}
