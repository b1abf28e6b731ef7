import Link from "next/link";

import { AuthCard } from "~/components/auth/auth-card";
import { CreateOrgForm } from "~/components/org/create-org-form";
import { myOrgs, requireUser } from "~/server/session";

export const metadata = { title: "New organisation" };

export default async function OnboardingPage() {
  const user = await requireUser("/onboarding");
  const orgs = await myOrgs(user.id);
  return (
    <AuthCard
      title="Create an organisation"
      footer={
        orgs.length ? (
          <>
            Or go to{" "}
            {orgs.map((o, i) => (
              <span key={o.id}>
                {i ? ", " : ""}
                <Link className="font-medium text-brand-600 hover:underline" href={`/o/${o.slug}`}>
                  {o.name}
                </Link>
              </span>
            ))}
          </>
        ) : (
          "Everything in Gantry belongs to an organisation: your team's experiments, models and endpoints."
        )
      }
    >
      <CreateOrgForm />
    </AuthCard>
  );
}
