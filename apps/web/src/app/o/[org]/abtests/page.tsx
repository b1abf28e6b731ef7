import { AbTestList } from "~/components/abtests/abtest-list";
import { PageHeader } from "~/components/ui/card";

export const metadata = { title: "A/B tests" };

export default async function AbTestsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <>
      <PageHeader title="A/B tests" description="Splits, canaries, shadow traffic and bandits between model versions on an endpoint. Start one from an endpoint's page." />
      <AbTestList org={org} />
    </>
  );
}
