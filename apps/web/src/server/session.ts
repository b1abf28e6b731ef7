import "server-only";

import { redirect } from "next/navigation";

import { findMembershipBySlug, getUser, listMyOrgs } from "@gantry/api/services";
import { GantryError } from "@gantry/schema";

import { sessionUserId } from "./auth";
import { database } from "./db";

/** The signed-in user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo: string) {
  const userId = await sessionUserId();
  const user = userId ? await getUser(database().db, userId) : null;
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

export const myOrgs = (userId: string) => listMyOrgs(database().db, userId);

/** The org and the user's role, or null when it does not exist for them (the page 404s). */
export async function membershipBySlug(userId: string, slug: string) {
  try {
    return await findMembershipBySlug(database().db, userId, slug);
  } catch (error) {
    if (error instanceof GantryError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}
