import "server-only";

import type { NextAuthOptions } from "next-auth";
import { getServerSession } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";

import { findOrCreateSsoUser, verifyCredentials } from "@gantry/api/services";

import { env } from "~/env";
import { database } from "./db";

/**
 * next-auth v4 with JWT sessions (the credentials provider works only with those). The token's
 * `sub` is our user id. OIDC, when configured, signs in by verified email.
 */
export function authOptions(): NextAuthOptions {
  const settings = env();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        if (!credentials) return null;
        const user = await verifyCredentials(database().db, { email: credentials.email, password: credentials.password });
        return user ? { id: user.id, email: user.email, name: user.name } : null;
      },
    }),
  ];
  if (settings.OIDC_ISSUER && settings.OIDC_CLIENT_ID && settings.OIDC_CLIENT_SECRET) {
    providers.push({
      id: "oidc",
      name: settings.OIDC_NAME,
      type: "oauth",
      wellKnown: `${settings.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: settings.OIDC_CLIENT_ID,
      clientSecret: settings.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile: (profile: { sub: string; email?: string; name?: string }) => ({ id: profile.sub, email: profile.email ?? null, name: profile.name ?? null }),
    });
  }
  return {
    secret: settings.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
    pages: { signIn: "/signin" },
    providers,
    callbacks: {
      async signIn({ account, user, profile }) {
        if (account?.provider !== "oidc") return true;
        const verified = (profile as { email_verified?: boolean } | undefined)?.email_verified !== false;
        return Boolean(user.email) && verified;
      },
      async jwt({ token, user, account }) {
        if (account?.provider === "oidc" && user.email) {
          const ours = await findOrCreateSsoUser(database().db, { email: user.email, name: user.name ?? null });
          token.sub = ours.id;
        } else if (user) {
          token.sub = user.id;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
  };
}

/** The signed-in user's id, or null. */
export async function sessionUserId(): Promise<string | null> {
  const session = await getServerSession(authOptions());
  return (session?.user as { id?: string } | undefined)?.id ?? null;
}
