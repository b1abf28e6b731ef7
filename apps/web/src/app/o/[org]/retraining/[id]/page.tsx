import { PolicyView } from "~/components/retraining/policy-view";

export const metadata = { title: "Retraining policy" };

export default async function RetrainPolicyPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  return <PolicyView org={org} id={id} />;
}
