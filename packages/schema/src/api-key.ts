import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { z } from "zod";

import { users } from "./auth";
import { createdAt, idColumn } from "./common";
import { orgs } from "./org";

export const scopes = ["read", "write", "predict", "admin"] as const;
export const ZScope = z.enum(scopes, { error: `Scope must be one of ${scopes.join(", ")}` });
export type Scope = z.infer<typeof ZScope>;

export const apiKeys = pgTable(
  "api_keys",
  {
    id: idColumn(),
    orgId: uuid()
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** Public part of the key (`gky_<prefix>_…`), unique; how a presented key is found. */
    prefix: text().notNull().unique(),
    /** sha256 of the whole key. Keys carry 192 random bits, so a fast hash is enough. */
    hash: text().notNull(),
    scopes: text().array().$type<Scope[]>().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true, mode: "date" }),
    lastUsedAt: timestamp({ withTimezone: true, mode: "date" }),
    revokedAt: timestamp({ withTimezone: true, mode: "date" }),
  },
  (t) => [index().on(t.orgId, t.createdAt)],
);

export const ZCreateApiKeyInput = z.object({
  name: z.string().trim().min(1, { error: "Name is required" }).max(100, { error: "Name is too long (100 characters at most)" }),
  scopes: z
    .array(ZScope, { error: "scopes must be a list" })
    .min(1, { error: "Choose at least one scope" })
    .transform((s) => [...new Set(s)]),
  expiresAt: z.coerce
    .date({ error: "expiresAt must be a date" })
    .refine((d) => d.getTime() > Date.now(), { error: "expiresAt must be in the future" })
    .optional(),
});
export type CreateApiKeyInput = z.input<typeof ZCreateApiKeyInput>;

export const ZApiKey = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(ZScope),
  createdBy: z.object({ id: z.uuid(), email: z.string() }).nullable(),
  createdAt: z.date(),
  expiresAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export type ApiKey = z.infer<typeof ZApiKey>;

export const ZCreatedApiKey = z.object({ key: ZApiKey, secret: z.string() });
export const ZRevokeApiKeyInput = z.object({ id: z.uuid({ error: "id must be a UUID" }) });
