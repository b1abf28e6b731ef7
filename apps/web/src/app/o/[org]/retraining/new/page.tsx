import { PolicyForm } from "~/components/retraining/policy-form";

export const metadata = { title: "New retraining policy" };

export default async function NewRetrainPolicyPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return <PolicyForm org={org} />;
}
