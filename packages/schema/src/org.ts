import { relations } from "drizzle-orm";
import { index, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { z } from "zod";

import { users } from "./auth";
import { createdAt, idColumn, timestamps } from "./common";

/* Roles, weakest first: a role may do everything the roles before it may. */
export const roles = ["viewer", "member", "admin", "owner"] as const;
export const ZRole = z.enum(roles, { error: `Role must be one of ${roles.join(", ")}` });
export type Role = z.infer<typeof ZRole>;
export const roleRank = (role: Role): number => roles.indexOf(role);
export const roleAtLeast = (role: Role, min: Role): boolean => roleRank(role) >= roleRank(min);

export const roleEnum = pgEnum("role", roles);

/* Tables. */

export const orgs = pgTable("orgs", {
  id: idColumn(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
  ...timestamps(),
});

export const memberships = pgTable(
  "memberships",
  {
    orgId: uuid()
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum().notNull(),
    ...timestamps(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index().on(t.userId)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: idColumn(),
    orgId: uuid()
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    /** sha256 of the one-time token; the token itself lives only in the link. */
    tokenHash: text().notNull(),
    role: roleEnum().notNull(),
    /** Optional: when set, only this address may accept. */
    email: text(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    acceptedAt: timestamp({ withTimezone: true, mode: "date" }),
    acceptedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp({ withTimezone: true, mode: "date" }),
  },
  (t) => [uniqueIndex().on(t.tokenHash), index().on(t.orgId, t.createdAt)],
);

/** A tenant row's owner: every table's `org_id` (rows go with their org). */
export const orgRef = () =>
  uuid()
    .notNull()
    .references(() => orgs.id, { onDelete: "cascade" });

export const orgsRelations = relations(orgs, ({ many }) => ({ memberships: many(memberships) }));
export const membershipsRelations = relations(memberships, ({ one }) => ({
  org: one(orgs, { fields: [memberships.orgId], references: [orgs.id] }),
  user: one(users, { fields: [memberships.userId], references: [users.id] }),
}));

/* Contracts. */

export const slugRules = "3–40 characters: lower-case letters, digits and single hyphens, starting with a letter";
const reservedSlugs = new Set(["new", "api", "admin", "settings", "signin", "signup", "invite", "orgs", "o"]);

export const ZSlug = z
  .string()
  .trim()
  .regex(/^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){2,39}$/, { error: `Slug must be ${slugRules}` })
  .refine((s) => !reservedSlugs.has(s), { error: "That slug is reserved" });

export const ZOrgName = z.string().trim().min(1, { error: "Name is required" }).max(100, { error: "Name is too long (100 characters at most)" });

export const ZCreateOrgInput = z.object({ name: ZOrgName, slug: ZSlug });
export type CreateOrgInput = z.infer<typeof ZCreateOrgInput>;

export const ZRenameOrgInput = z.object({ name: ZOrgName, slug: ZSlug.optional() });
export type RenameOrgInput = z.infer<typeof ZRenameOrgInput>;

export const ZOrg = z.object({ id: z.uuid(), slug: z.string(), name: z.string(), createdAt: z.date() });
export type Org = z.infer<typeof ZOrg>;
export const ZMyOrg = ZOrg.extend({ role: ZRole });
export type MyOrg = z.infer<typeof ZMyOrg>;

export const ZMember = z.object({
  userId: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  role: ZRole,
  joinedAt: z.date(),
});
export type Member = z.infer<typeof ZMember>;

export const ZChangeRoleInput = z.object({ userId: z.uuid({ error: "userId must be a UUID" }), role: ZRole });
export const ZRemoveMemberInput = z.object({ userId: z.uuid({ error: "userId must be a UUID" }) });

export const ZCreateInvitationInput = z.object({
  role: ZRole.exclude(["owner"], { error: "Role must be one of viewer, member, admin" }).default("member"),
  email: z.email({ error: "Enter a valid email address" }).optional(),
  expiresInDays: z.number().int().min(1).max(30).default(7),
});
export type CreateInvitationInput = z.input<typeof ZCreateInvitationInput>;

export const ZInvitation = z.object({
  id: z.uuid(),
  role: ZRole,
  email: z.string().nullable(),
  createdAt: z.date(),
  expiresAt: z.date(),
  acceptedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  status: z.enum(["pending", "accepted", "revoked", "expired"]),
});
export type Invitation = z.infer<typeof ZInvitation>;

export const ZInvitationToken = z.string().regex(/^inv_[A-Za-z0-9_-]{32,64}$/, { error: "Invitation link is malformed" });
export const ZAcceptInvitationInput = z.object({ token: ZInvitationToken });
