import { and, desc, eq, isNull, lt, or, sql } from "@gantry/db";
import type { Executor } from "@gantry/db";
import { apiKeys, GantryError, orgs, users, ZCreateApiKeyInput, ZRevokeApiKeyInput } from "@gantry/schema";
import type { ApiKey, CreateApiKeyInput, Org, Scope } from "@gantry/schema";
import type { z } from "zod";

import type { Actor, OrgContext } from "../context";
import { scopesOfRole } from "../context";
import { parseInput } from "../parse";
import { preparedPerDb } from "./prepared";
import { mutate } from "./audit";
import { randomHex, randomToken, safeEqualHex, sha256 } from "./tokens";

/** `gky_<12 hex: lookup prefix>_<43 base64url chars: 256-bit secret>` */
const KEY_PATTERN = /^(gky_[0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

const LAST_USED_RESOLUTION_MS = 60_000;

const keyColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  creatorId: users.id,
  creatorEmail: users.email,
};


export async function createApiKey(ctx: OrgContext, raw: CreateApiKeyInput): Promise<{ key: ApiKey; secret: string }> {
  const input = parseInput(ZCreateApiKeyInput, raw);
  // A key can never do more than its creator may.
  const allowed = ctx.actor.type === "api_key" ? ctx.actor.scopes : scopesOfRole(ctx.role);
  const excess = input.scopes.filter((s) => !allowed.includes(s));
  if (excess.length) throw new GantryError("FORBIDDEN", `You cannot grant scope ${excess.join(", ")}`, { field: "scopes" });

  const prefix = `gky_${randomHex(6)}`;
  const secret = `${prefix}_${randomToken(32)}`;
  const creatorId = ctx.actor.type === "system" ? null : ctx.actor.userId;
  const id = await mutate(
    ctx,
    (keyId: string) => ({ action: "api_key.create", targetType: "api_key", targetId: keyId, data: { name: input.name, scopes: input.scopes, prefix } }),
    async (tx) => {
      const [row] = await tx
        .insert(apiKeys)
        .values({ orgId: ctx.orgId, name: input.name, prefix, hash: sha256(secret), scopes: input.scopes, createdBy: creatorId, expiresAt: input.expiresAt ?? null })
        .returning({ id: apiKeys.id });
      if (!row) throw new GantryError("INTERNAL", "API key not created");
      return row.id;
    },
  );
  const [key] = await listApiKeysWhere(ctx.db, ctx.orgId, eq(apiKeys.id, id));
  if (!key) throw new GantryError("INTERNAL", "API key not found after create");
  return { key, secret };
}

async function listApiKeysWhere(db: Executor, orgId: string, extra?: ReturnType<typeof eq>): Promise<ApiKey[]> {
  const rows = await db
    .select(keyColumns)
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(and(eq(apiKeys.orgId, orgId), extra))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(({ creatorId, creatorEmail, ...row }) => ({
    ...row,
    createdBy: creatorId && creatorEmail ? { id: creatorId, email: creatorEmail } : null,
  }));
}

export const listApiKeys = (ctx: OrgContext): Promise<ApiKey[]> => listApiKeysWhere(ctx.db, ctx.orgId);

/** Admins revoke any key of the org; others only keys they created. */
export async function revokeApiKey(ctx: OrgContext, raw: z.input<typeof ZRevokeApiKeyInput>): Promise<void> {
  const { id } = parseInput(ZRevokeApiKeyInput, raw);
  await mutate(ctx, { action: "api_key.revoke", targetType: "api_key", targetId: id }, async (tx) => {
    const [key] = await tx.select({ createdBy: apiKeys.createdBy, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, ctx.orgId)));
    if (!key) throw new GantryError("NOT_FOUND", "No such API key in this organisation", { field: "id" });
    const mine = ctx.actor.type === "user" && key.createdBy === ctx.actor.userId;
    const admin = ctx.actor.type === "api_key" ? ctx.actor.scopes.includes("admin") : scopesOfRole(ctx.role).includes("admin");
    if (!mine && !admin) throw new GantryError("FORBIDDEN", "Only admins can revoke keys that others created");
    if (!key.revokedAt) await tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id));
  });
}

const keyByPrefix = preparedPerDb((db) =>
  db
    .select({ key: apiKeys, org: { id: orgs.id, slug: orgs.slug, name: orgs.name, createdAt: orgs.createdAt } })
    .from(apiKeys)
    .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
    .where(eq(apiKeys.prefix, sql.placeholder("prefix")))
    .limit(1)
    .prepare("gantry_api_key_by_prefix"),
);

/** `expiresAt` lets a cache of this answer stop trusting the key on time. */
export type KeyPrincipal = { actor: Actor & { type: "api_key" }; org: Org; expiresAt: Date | null };

/**
 * Authenticates a presented key. Throws UNAUTHENTICATED with the reason (malformed, unknown,
 * revoked, expired); never says more about a key than its holder could know.
 */
export async function authenticateApiKey(db: Executor, presented: string): Promise<KeyPrincipal> {
  const match = KEY_PATTERN.exec(presented.trim());
  if (!match?.[1]) throw new GantryError("UNAUTHENTICATED", "Malformed API key");
  const [row] = await keyByPrefix(db).execute({ prefix: match[1] });
  if (!row || !safeEqualHex(row.key.hash, sha256(presented.trim()))) throw new GantryError("UNAUTHENTICATED", "Unknown API key");
  if (row.key.revokedAt) throw new GantryError("UNAUTHENTICATED", "This API key has been revoked");
  const now = new Date();
  if (row.key.expiresAt && row.key.expiresAt <= now) throw new GantryError("UNAUTHENTICATED", "This API key has expired");

  // Bounded write rate: at most one last-used update per key per minute.
  if (!row.key.lastUsedAt || now.getTime() - row.key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, row.key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS)))));
  }
  return {
    actor: { type: "api_key", keyId: row.key.id, userId: row.key.createdBy, label: `key ${row.key.name} (${row.key.prefix})`, orgId: row.org.id, scopes: row.key.scopes as Scope[] },
    org: row.org,
    expiresAt: row.key.expiresAt,
  };
}
