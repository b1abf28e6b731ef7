import type { Readable } from "node:stream";

import { and, asc, eq, like, sql } from "@gantry/db";
import { artifacts, GantryError } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { activeRunRow, runArtifactUri, runRow } from "./runs";

const MAX_PATH = 1000;

/** A relative, `/`-separated path with no `..`, no empty or absolute parts. */
export function normaliseArtifactPath(raw: string, options: { allowEmpty?: boolean } = {}): string {
  const path = raw.replace(/^\/+|\/+$/g, "");
  if (!path) {
    if (options.allowEmpty) return "";
    throw new GantryError("INVALID_INPUT", "Artifact path is empty", { field: "path" });
  }
  if (path.length > MAX_PATH || path.includes("\\") || path.includes("\0") || path.split("/").some((part) => part === "" || part === "." || part === "..")) {
    throw new GantryError("INVALID_INPUT", `Invalid artifact path '${raw}': use a relative path without '..'`, { field: "path" });
  }
  return path;
}

export type StoredArtifact = { path: string; size: number; sha256: string; contentType: string | null };

/** Streams the body into the content-addressed store, then records it on the run (replacing a file at that path). */
export async function putRunArtifact(
  ctx: OrgContext,
  input: { runId: string; path: string; body: AsyncIterable<Uint8Array>; contentType?: string | null; store: ArtifactStore; maxBytes: number },
): Promise<StoredArtifact> {
  const run = await activeRunRow(ctx, input.runId);
  const path = normaliseArtifactPath(input.path);
  const { sha256, size } = await input.store.put(input.body, { maxBytes: input.maxBytes });
  const row = { orgId: ctx.orgId, runId: run.id, path, sha256, size, contentType: input.contentType ?? null };
  await ctx.db
    .insert(artifacts)
    .values(row)
    .onConflictDoUpdate({ target: [artifacts.runId, artifacts.path], set: { sha256, size, contentType: row.contentType, createdAt: new Date() } });
  return { path, size, sha256, contentType: row.contentType };
}

export async function getRunArtifact(ctx: OrgContext, input: { runId: string; path: string; store: ArtifactStore }): Promise<StoredArtifact & { body: () => Promise<Readable> }> {
  const run = await runRow(ctx, input.runId);
  const path = normaliseArtifactPath(input.path);
  const [row] = await ctx.db.select().from(artifacts).where(and(eq(artifacts.runId, run.id), eq(artifacts.path, path)));
  if (!row) throw new GantryError("NOT_FOUND", `No artifact '${path}' in run ${input.runId}`, { field: "path" });
  return { path: row.path, size: row.size, sha256: row.sha256, contentType: row.contentType, body: () => input.store.get(row.sha256) };
}

export async function deleteRunArtifact(ctx: OrgContext, input: { runId: string; path: string }): Promise<void> {
  const run = await activeRunRow(ctx, input.runId);
  const path = normaliseArtifactPath(input.path);
  // A directory deletes everything under it. The bytes stay in the store while other rows share them.
  const deleted = await ctx.db
    .delete(artifacts)
    .where(and(eq(artifacts.runId, run.id), sql`(${artifacts.path} = ${path} or ${artifacts.path} like ${escapeLike(path) + "/%"})`))
    .returning({ path: artifacts.path });
  if (!deleted.length) throw new GantryError("NOT_FOUND", `No artifact '${path}' in run ${input.runId}`, { field: "path" });
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export type ArtifactListing = { rootUri: string; files: { path: string; isDir: boolean; fileSize?: number }[] };

/** The direct children of `dir` (files with sizes, and sub-directories), as MLflow lists them. */
export async function listRunArtifacts(ctx: OrgContext, input: { runId: string; path?: string }): Promise<ArtifactListing> {
  const run = await runRow(ctx, input.runId);
  const dir = normaliseArtifactPath(input.path ?? "", { allowEmpty: true });
  const prefix = dir ? `${dir}/` : "";
  const rows = await ctx.db
    .select({ path: artifacts.path, size: artifacts.size })
    .from(artifacts)
    .where(and(eq(artifacts.runId, run.id), prefix ? like(artifacts.path, escapeLike(prefix) + "%") : undefined))
    .orderBy(asc(artifacts.path));
  const files = new Map<string, { path: string; isDir: boolean; fileSize?: number }>();
  for (const r of rows) {
    const rest = r.path.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash === -1) files.set(r.path, { path: r.path, isDir: false, fileSize: r.size });
    else {
      const sub = prefix + rest.slice(0, slash);
      if (!files.has(sub)) files.set(sub, { path: sub, isDir: true });
    }
  }
  return { rootUri: runArtifactUri(run.experimentId, run.id), files: [...files.values()] };
}
