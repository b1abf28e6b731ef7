import { and, desc, eq } from "@gantry/db";
import type { ModelSignature, ModelVersion, SignatureDiff, VersionComparison } from "@gantry/schema";
import { GantryError, modelAliases, modelVersions, ZCompareVersionsInput, ZResolveModelUriInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { hydrateVersions, modelByName, versionRow } from "./lookup";

export type ModelUri = { name: string } & ({ kind: "alias"; alias: string } | { kind: "version"; version: number } | { kind: "latest" });

const URI = /^models:\/([^/@]+)(?:@([^/@]+)|\/([^/@]+))$/;

/** `models:/name@alias`, `models:/name/3` or `models:/name/latest`; INVALID_INPUT naming `uri` otherwise. */
export function parseModelUri(uri: string): ModelUri {
  const m = URI.exec(uri.trim());
  const bad = () => new GantryError("INVALID_INPUT", `uri: '${uri}' is not a model URI (models:/NAME@ALIAS, models:/NAME/VERSION or models:/NAME/latest)`, { field: "uri" });
  if (!m?.[1]) throw bad();
  const name = m[1];
  if (m[2] !== undefined) return { name, kind: "alias", alias: m[2] };
  if (m[3] === "latest") return { name, kind: "latest" };
  if (m[3] !== undefined && /^\d+$/.test(m[3]) && Number(m[3]) > 0) return { name, kind: "version", version: Number(m[3]) };
  throw bad();
}

/** The version a model URI names; `latest` is the newest version that is not archived. */
export async function resolveModelUri(ctx: OrgContext, raw: string): Promise<ModelVersion> {
  const { uri } = parseInput(ZResolveModelUriInput, { uri: raw });
  const ref = parseModelUri(uri);
  const model = await modelByName(ctx, ref.name);
  let row;
  if (ref.kind === "version") row = await versionRow(ctx, model, ref.version);
  else if (ref.kind === "alias") {
    [row] = await ctx.db
      .select({ v: modelVersions })
      .from(modelAliases)
      .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
      .where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, ref.alias)))
      .then((rows) => rows.map((r) => r.v));
    if (!row) throw new GantryError("NOT_FOUND", `Model '${model.name}' has no alias '${ref.alias}'`, { field: "alias" });
  } else {
    [row] = await ctx.db
      .select()
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.archived, false)))
      .orderBy(desc(modelVersions.version))
      .limit(1);
    if (!row) throw new GantryError("NOT_FOUND", `Model '${model.name}' has no version that is not archived`, { field: "version" });
  }
  const [out] = await hydrateVersions(ctx, [row], model.name);
  if (!out) throw new GantryError("INTERNAL", "version vanished");
  return out;
}

const describeInput = (i: ModelSignature["inputs"][number]) =>
  `${i.type}${i.required === false ? " (optional)" : ""}${i.categories ? ` [${i.categories.join(", ")}]` : ""}`;

/** Inputs of `to` against `from`: added, removed, and changed (type, requiredness or categories). */
export function diffSignatures(from: ModelSignature | null, to: ModelSignature | null): SignatureDiff {
  const a = new Map((from?.inputs ?? []).map((i) => [i.name, describeInput(i)]));
  const b = new Map((to?.inputs ?? []).map((i) => [i.name, describeInput(i)]));
  return {
    added: [...b.keys()].filter((k) => !a.has(k)),
    removed: [...a.keys()].filter((k) => !b.has(k)),
    changed: [...b.entries()].flatMap(([name, type]) => {
      const was = a.get(name);
      return was !== undefined && was !== type ? [{ name, from: was, to: type }] : [];
    }),
  };
}

/** Metrics side by side (every key of any version) and each signature against the first version's. */
export async function compareVersions(ctx: OrgContext, raw: { name: string; versions: number[] }): Promise<VersionComparison> {
  const input = parseInput(ZCompareVersionsInput, raw);
  const model = await modelByName(ctx, input.name);
  const rows = [];
  for (const v of input.versions) rows.push(await versionRow(ctx, model, v));
  const versions = await hydrateVersions(ctx, rows, model.name);
  const keys = [...new Set(versions.flatMap((v) => Object.keys(v.metrics)))].sort();
  const first = versions[0];
  return {
    name: model.name,
    versions: versions.map((v) => ({ version: v.version, sourceRunId: v.sourceRunId, aliases: v.aliases, createdAt: v.createdAt })),
    metrics: keys.map((key) => ({ key, values: versions.map((v) => v.metrics[key] ?? null) })),
    signatureDiffs: versions.slice(1).map((v) => ({ version: v.version, diff: diffSignatures(first?.signature ?? null, v.signature) })),
  };
}
