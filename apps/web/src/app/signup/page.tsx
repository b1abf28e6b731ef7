import Link from "next/link";
import { redirect } from "next/navigation";

import { AuthCard } from "~/components/auth/auth-card";
import { SignUpForm } from "~/components/auth/sign-up-form";
import { safeCallbackUrl } from "~/lib/callback-url";
import { sessionUserId } from "~/server/auth";

export const metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl, "/onboarding");
  if (await sessionUserId()) redirect(callbackUrl);
  return (
    <AuthCard
      title="Create your account"
      footer={
        <>
          Already have one? <Link className="font-medium text-brand-600 hover:underline" href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Sign in</Link>
        </>
      }
    >
      <SignUpForm callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
