import { and, eq, inArray, sql } from "@gantry/db";
import { datasetNamePattern, datasets, datasetVersions } from "@gantry/schema";

import type { OrgContext } from "../context";

/*
 * Which Gantry dataset version an MLflow dataset input names. Two ways, checked in this order:
 *  - its source is `gantry:datasets/NAME@VERSION` (what the worker and `linkRunToDatasetVersion`
 *    log, with source_type "gantry");
 *  - its digest is the version's sha256 or a prefix of it of at least 8 hex characters (MLflow
 *    digests are short). When several versions share the content, the one whose dataset has the
 *    input's name wins, else the newest.
 * Only the caller's org is searched. An input that names nothing stays unlinked; that is no error.
 */

const SOURCE_PREFIX = "gantry:datasets/";
const MIN_DIGEST = 8;

export const datasetVersionSource = (name: string, version: number): string => `${SOURCE_PREFIX}${name}@${version}`;

export function parseDatasetVersionSource(source: string): { name: string; version: number } | null {
  if (!source.startsWith(SOURCE_PREFIX)) return null;
  const rest = source.slice(SOURCE_PREFIX.length);
  const at = rest.lastIndexOf("@");
  const name = rest.slice(0, at);
  const version = Number(rest.slice(at + 1));
  if (at <= 0 || !datasetNamePattern.test(name) || !/^\d+$/.test(rest.slice(at + 1)) || !Number.isSafeInteger(version) || version < 1) return null;
  return { name, version };
}

const normaliseDigest = (digest: string): string | null => {
  const d = digest.trim().toLowerCase();
  return d.length >= MIN_DIGEST && d.length <= 64 && /^[0-9a-f]+$/.test(d) ? d : null;
};

export type DatasetInputRef = { name: string; digest: string; source: string };

/** The linked version id of each input, in order (null when it names none of the org's versions). */
export async function matchDatasetVersions(ctx: OrgContext, inputs: readonly DatasetInputRef[]): Promise<(string | null)[]> {
  const refs = inputs.map((i) => parseDatasetVersionSource(i.source));
  const bySource = new Map<string, string>();
  const names = [...new Set(refs.flatMap((r) => (r ? [r.name] : [])))];
  if (names.length) {
    const rows = await ctx.db
      .select({ id: datasetVersions.id, name: datasets.name, version: datasetVersions.version })
      .from(datasetVersions)
      .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
      .where(and(eq(datasets.orgId, ctx.orgId), inArray(datasets.name, names)));
    for (const r of rows) bySource.set(`${r.name}@${r.version}`, r.id);
  }

  const digests = [...new Set(inputs.flatMap((input, i) => (refs[i] ? [] : [normaliseDigest(input.digest)])).filter((d): d is string => d !== null))];
  const candidates: { id: string; sha256: string; name: string }[] = [];
  if (digests.length) {
    const patterns = sql.join(
      digests.map((d) => sql`${d + "%"}`),
      sql`, `,
    );
    candidates.push(
      ...(await ctx.db
        .select({ id: datasetVersions.id, sha256: datasetVersions.sha256, name: datasets.name })
        .from(datasetVersions)
        .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
        .where(and(eq(datasetVersions.orgId, ctx.orgId), sql`${datasetVersions.sha256} like any (array[${patterns}])`))),
    );
    // Ids are UUIDv7: the largest is the newest.
    candidates.sort((a, b) => (a.id < b.id ? 1 : -1));
  }

  return inputs.map((input, i) => {
    const ref = refs[i];
    if (ref) return bySource.get(`${ref.name}@${ref.version}`) ?? null;
    const digest = normaliseDigest(input.digest);
    if (!digest) return null;
    const matching = candidates.filter((c) => c.sha256.startsWith(digest));
    return (matching.find((c) => c.name === input.name) ?? matching[0])?.id ?? null;
  });
}
