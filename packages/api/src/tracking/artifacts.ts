import type { Readable } from "node:stream";

import { and, asc, eq, like, sql } from "@gantry/db";
import { artifacts, GantryError, loggedModelArtifacts } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { loggedModelRow } from "./logged-models";
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

/** Whose files: a run's, or an MLflow 3 logged model's. Both live in the same content-addressed store. */
export type ArtifactOwner = { kind: "run"; id: string } | { kind: "model"; id: string };

/** The owner's table, key column and root URI, after checking it belongs to the org (and, for writes, is writable). */
async function resolveOwner(ctx: OrgContext, owner: ArtifactOwner, write: boolean) {
  if (owner.kind === "run") {
    const run = write ? await activeRunRow(ctx, owner.id) : await runRow(ctx, owner.id);
    return { table: artifacts, column: artifacts.runId, id: run.id, rootUri: runArtifactUri(run.experimentId, run.id) };
  }
  const model = await loggedModelRow(ctx, owner.id);
  return { table: loggedModelArtifacts, column: loggedModelArtifacts.modelId, id: model.id, rootUri: `mlflow-artifacts:/${model.experimentId}/models/${model.id}/artifacts` };
}

export type StoredArtifact = { path: string; size: number; sha256: string; contentType: string | null };

const notFound = (path: string) => new GantryError("NOT_FOUND", `No artifact '${path}'`, { field: "path" });

/** Streams the body into the content-addressed store, then records it (replacing a file at that path). */
export async function putArtifact(
  ctx: OrgContext,
  input: { owner: ArtifactOwner; path: string; body: AsyncIterable<Uint8Array>; contentType?: string | null; store: ArtifactStore; maxBytes: number },
): Promise<StoredArtifact> {
  const o = await resolveOwner(ctx, input.owner, true);
  const path = normaliseArtifactPath(input.path);
  const { sha256, size } = await input.store.put(input.body, { maxBytes: input.maxBytes });
  const contentType = input.contentType ?? null;
  const values = { orgId: ctx.orgId, path, sha256, size, contentType };
  const set = { sha256, size, contentType, createdAt: new Date() };
  if (input.owner.kind === "run") {
    await ctx.db.insert(artifacts).values({ ...values, runId: o.id }).onConflictDoUpdate({ target: [artifacts.runId, artifacts.path], set });
  } else {
    await ctx.db.insert(loggedModelArtifacts).values({ ...values, modelId: o.id }).onConflictDoUpdate({ target: [loggedModelArtifacts.modelId, loggedModelArtifacts.path], set });
  }
  return { path, size, sha256, contentType };
}

export async function getArtifact(ctx: OrgContext, input: { owner: ArtifactOwner; path: string; store: ArtifactStore }): Promise<StoredArtifact & { body: () => Promise<Readable> }> {
  const o = await resolveOwner(ctx, input.owner, false);
  const path = normaliseArtifactPath(input.path);
  const [row] = await ctx.db.select().from(o.table).where(and(eq(o.column, o.id), eq(o.table.path, path)));
  if (!row) throw notFound(path);
  return { path: row.path, size: row.size, sha256: row.sha256, contentType: row.contentType, body: () => input.store.get(row.sha256) };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Deletes a file, or everything under a directory. The bytes stay in the store while other rows share them. */
export async function deleteArtifact(ctx: OrgContext, input: { owner: ArtifactOwner; path: string }): Promise<void> {
  const o = await resolveOwner(ctx, input.owner, true);
  const path = normaliseArtifactPath(input.path);
  const deleted = await ctx.db
    .delete(o.table)
    .where(and(eq(o.column, o.id), sql`(${o.table.path} = ${path} or ${o.table.path} like ${escapeLike(path) + "/%"})`))
    .returning({ path: o.table.path });
  if (!deleted.length) throw notFound(path);
}

export type ArtifactListing = { rootUri: string; files: { path: string; isDir: boolean; fileSize?: number }[] };

/** The direct children of `dir` (files with sizes, and sub-directories), as MLflow lists them. */
export async function listArtifacts(ctx: OrgContext, input: { owner: ArtifactOwner; path?: string }): Promise<ArtifactListing> {
  const o = await resolveOwner(ctx, input.owner, false);
  const dir = normaliseArtifactPath(input.path ?? "", { allowEmpty: true });
  const prefix = dir ? `${dir}/` : "";
  const rows = await ctx.db
    .select({ path: o.table.path, size: o.table.size })
    .from(o.table)
    .where(and(eq(o.column, o.id), prefix ? like(o.table.path, escapeLike(prefix) + "%") : undefined))
    .orderBy(asc(o.table.path));
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
  return { rootUri: o.rootUri, files: [...files.values()] };
}

/* Run-artifact shorthands (the tRPC router, the portal download route, the seed). */
export const putRunArtifact = (ctx: OrgContext, input: Omit<Parameters<typeof putArtifact>[1], "owner"> & { runId: string }) => putArtifact(ctx, { ...input, owner: { kind: "run", id: input.runId } });
export const getRunArtifact = (ctx: OrgContext, input: { runId: string; path: string; store: ArtifactStore }) => getArtifact(ctx, { ...input, owner: { kind: "run", id: input.runId } });
export const listRunArtifacts = (ctx: OrgContext, input: { runId: string; path?: string }) => listArtifacts(ctx, { ...input, owner: { kind: "run", id: input.runId } });
