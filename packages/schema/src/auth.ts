import { relations } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { z } from "zod";

import { createdAt, idColumn } from "./common";

/* Tables. users + next-auth's own (accounts for OIDC links, sessions, verification tokens). */

export const users = pgTable("users", {
  id: idColumn(),
  /** Stored lower-cased; unique. */
  email: text().notNull().unique(),
  name: text(),
  image: text(),
  emailVerified: timestamp({ withTimezone: true, mode: "date" }),
  /** argon2id PHC string; null for users who only sign in through OIDC. */
  passwordHash: text(),
  createdAt: createdAt(),
});

export const accounts = pgTable(
  "accounts",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text().notNull(),
    provider: text().notNull(),
    providerAccountId: text().notNull(),
    refreshToken: text(),
    accessToken: text(),
    expiresAt: integer(),
    tokenType: text(),
    scope: text(),
    idToken: text(),
    sessionState: text(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index().on(t.userId)],
);

export const sessions = pgTable("sessions", {
  sessionToken: text().primaryKey(),
  userId: uuid()
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  expires: timestamp({ withTimezone: true, mode: "date" }).notNull(),
});

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text().notNull(),
    token: text().notNull(),
    expires: timestamp({ withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

export const usersRelations = relations(users, ({ many }) => ({ accounts: many(accounts) }));
export const accountsRelations = relations(accounts, ({ one }) => ({
  user: one(users, { fields: [accounts.userId], references: [users.id] }),
}));

/* Contracts. */

export const ZEmail = z
  .email({ error: "Enter a valid email address" })
  .max(254)
  .transform((s) => s.trim().toLowerCase());

export const passwordRules = "at least 10 characters, with letters and at least one digit or symbol";

export const ZPassword = z
  .string()
  .min(10, { error: `Password must have ${passwordRules}` })
  .max(200, { error: "Password is too long (200 characters at most)" })
  .refine((p) => /\p{L}/u.test(p) && /[^\p{L}]/u.test(p), { error: `Password must have ${passwordRules}` });

export const ZSignUpInput = z.object({
  email: ZEmail,
  password: ZPassword,
  name: z.string().trim().min(1, { error: "Name is required" }).max(100),
});
export type SignUpInput = z.infer<typeof ZSignUpInput>;

export const ZSignInInput = z.object({ email: ZEmail, password: z.string().min(1).max(200) });
export type SignInInput = z.infer<typeof ZSignInInput>;

export const ZUser = z.object({ id: z.uuid(), email: z.string(), name: z.string().nullable() });
export type User = z.infer<typeof ZUser>;
