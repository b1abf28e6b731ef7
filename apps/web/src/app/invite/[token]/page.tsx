import Link from "next/link";

import { previewInvitation } from "@gantry/api/services";
import { GantryError } from "@gantry/schema";

import { AuthCard } from "~/components/auth/auth-card";
import { AcceptInvitation } from "~/components/org/accept-invitation";
import { Alert } from "~/components/ui/card";
import { sessionUserId } from "~/server/auth";
import { database } from "~/server/db";

export const metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const preview = await previewInvitation(database().db, { token }).catch((error: unknown) => {
    if (error instanceof GantryError) return { error: error.message };
    throw error;
  });
  if ("error" in preview) {
    return (
      <AuthCard title="Invitation">
        <Alert>{preview.error}</Alert>
      </AuthCard>
    );
  }
  const signedIn = Boolean(await sessionUserId());
  const here = `/invite/${token}`;
  return (
    <AuthCard title={`Join ${preview.org.name}`}>
      <p className="mb-4 text-sm text-slate-600">
        You are invited to <strong>{preview.org.name}</strong> as <strong>{preview.role}</strong>
        {preview.email ? <> (for {preview.email})</> : null}. The link expires {preview.expiresAt.toLocaleDateString()}.
      </p>
      {signedIn ? (
        <AcceptInvitation token={token} />
      ) : (
        <div className="flex gap-2">
          <Link className="flex-1 rounded-md bg-brand-600 px-3 py-2 text-center text-sm font-medium text-white hover:bg-brand-700" href={`/signup?callbackUrl=${encodeURIComponent(here)}`}>
            Create an account
          </Link>
          <Link className="flex-1 rounded-md px-3 py-2 text-center text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50" href={`/signin?callbackUrl=${encodeURIComponent(here)}`}>
            Sign in
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
