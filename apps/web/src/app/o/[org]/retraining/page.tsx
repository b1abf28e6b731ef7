import Link from "next/link";

import { newPolicyHref } from "~/components/retraining/links";
import { PolicyList } from "~/components/retraining/policy-list";
import { PageHeader } from "~/components/ui/card";

export const metadata = { title: "Retraining" };

export default async function RetrainingPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <>
      <PageHeader
        title="Retraining"
        description="Policies that retrain a model when its endpoint's monitors fire (or by hand), gate the challenger against the champion and roll it out in a canary."
        actions={
          <Link href={newPolicyHref(org)} className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700">
            New policy
          </Link>
        }
      />
      <PolicyList org={org} />
    </>
  );
}
