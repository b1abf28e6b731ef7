import { hash, verify } from "@node-rs/argon2";

import type { Executor } from "@gantry/db";
import { eq, sql } from "@gantry/db";
import { GantryError, users, ZSignInInput, ZSignUpInput } from "@gantry/schema";
import type { SignUpInput, User } from "@gantry/schema";

import { parseInput } from "../parse";
import { preparedPerDb } from "./prepared";

// A hash to verify against when the email is unknown, so timing does not reveal which emails exist.
let dummyHash: Promise<string> | undefined;

export async function signUp(db: Executor, raw: SignUpInput): Promise<User> {
  const input = parseInput(ZSignUpInput, raw);
  const passwordHash = await hash(input.password);
  const [row] = await db
    .insert(users)
    .values({ email: input.email, name: input.name, passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id, email: users.email, name: users.name });
  if (!row) throw new GantryError("CONFLICT", "An account with this email already exists", { field: "email" });
  return row;
}

/** Checks email + password; returns the user or null (never says which of the two was wrong). */
export async function verifyCredentials(db: Executor, raw: { email: string; password: string }): Promise<User | null> {
  const parsed = ZSignInInput.safeParse(raw);
  if (!parsed.success) return null;
  const [row] = await db.select().from(users).where(eq(users.email, parsed.data.email)).limit(1);
  if (!row?.passwordHash) {
    dummyHash ??= hash("not-a-real-password-0");
    await verify(await dummyHash, parsed.data.password).catch(() => false);
    return null;
  }
  const ok = await verify(row.passwordHash, parsed.data.password).catch(() => false);
  return ok ? { id: row.id, email: row.email, name: row.name } : null;
}

const userById = preparedPerDb((db) =>
  db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.id, sql.placeholder("id")))
    .limit(1)
    .prepare("gantry_user_by_id"),
);

export async function getUser(db: Executor, userId: string): Promise<User | null> {
  const [row] = await userById(db).execute({ id: userId });
  return row ?? null;
}

/** For SSO sign-in: the user with this (verified) email, created on first sign-in. */
export async function findOrCreateSsoUser(db: Executor, profile: { email: string; name: string | null }): Promise<User> {
  const email = profile.email.trim().toLowerCase();
  await db.insert(users).values({ email, name: profile.name, emailVerified: new Date() }).onConflictDoNothing({ target: users.email });
  const [row] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.email, email)).limit(1);
  if (!row) throw new GantryError("INTERNAL", "Could not create the SSO user");
  return row;
}
