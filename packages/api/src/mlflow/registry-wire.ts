import type { ModelVersion, RegisteredModel } from "@gantry/schema";

import type { OrgContext } from "../context";
import { latestVersionsByStage, STAGE_TAG, stageOf } from "../registry/stages";
import { versionSourceUris } from "../registry/version-sources";

/* MLflow's RegisteredModel and ModelVersion: version numbers as strings, ms timestamps, unset fields omitted. */

const versionStatus = { ready: "READY", pending: "PENDING_REGISTRATION", failed: "FAILED_REGISTRATION" } as const;

/** Sorted pairs; the stage tag is `current_stage` on the wire, not a tag. */
const tagList = (tags: Record<string, string>) =>
  Object.entries(tags)
    .filter(([key]) => key !== STAGE_TAG)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([key, value]) => ({ key, value }));

export function wireModelVersion(v: ModelVersion, source: string | undefined) {
  const tags = tagList(v.tags);
  return {
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.createdAt.getTime(),
    // Versions keep no update time of their own.
    last_updated_timestamp: v.createdAt.getTime(),
    current_stage: stageOf(v.tags),
    ...(v.description !== null ? { description: v.description } : {}),
    ...(source ? { source } : {}),
    ...(v.sourceRunId ? { run_id: v.sourceRunId } : {}),
    status: versionStatus[v.status],
    ...(tags.length ? { tags } : {}),
    ...(v.aliases.length ? { aliases: v.aliases } : {}),
  };
}

export type WireModelVersion = ReturnType<typeof wireModelVersion>;

/** Versions with their source URIs (one query for all of them). */
export async function wireVersions(ctx: OrgContext, versions: ModelVersion[]): Promise<WireModelVersion[]> {
  const sources = await versionSourceUris(ctx, versions);
  return versions.map((v) => wireModelVersion(v, sources.get(v.id)));
}

/** Models with `latest_versions` (the newest version in each stage, as MLflow). */
export async function wireModels(ctx: OrgContext, models: RegisteredModel[]) {
  const latest = await latestVersionsByStage(ctx, models);
  const wired = await wireVersions(ctx, [...latest.values()].flat());
  return models.map((m) => {
    const tags = tagList(m.tags);
    const versions = wired.filter((v) => v.name === m.name);
    return {
      name: m.name,
      creation_timestamp: m.createdAt.getTime(),
      last_updated_timestamp: m.updatedAt.getTime(),
      ...(m.description !== null ? { description: m.description } : {}),
      ...(versions.length ? { latest_versions: versions } : {}),
      ...(tags.length ? { tags } : {}),
      ...(m.aliases.length ? { aliases: m.aliases.map((a) => ({ alias: a.alias, version: String(a.version) })) } : {}),
    };
  });
}

export async function wireModel(ctx: OrgContext, model: RegisteredModel) {
  const [wired] = await wireModels(ctx, [model]);
  return wired;
}
