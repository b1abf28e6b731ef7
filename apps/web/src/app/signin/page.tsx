import Link from "next/link";
import { redirect } from "next/navigation";

import { AuthCard } from "~/components/auth/auth-card";
import { SignInForm } from "~/components/auth/sign-in-form";
import { env, oidcEnabled } from "~/env";
import { safeCallbackUrl } from "~/lib/callback-url";
import { sessionUserId } from "~/server/auth";

export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  if (await sessionUserId()) redirect(callbackUrl);
  return (
    <AuthCard
      title="Sign in to Gantry"
      footer={
        <>
          New here? <Link className="font-medium text-brand-600 hover:underline" href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Create an account</Link>
        </>
      }
    >
      <SignInForm callbackUrl={callbackUrl} ssoName={oidcEnabled() ? env().OIDC_NAME : null} />
    </AuthCard>
  );
}
