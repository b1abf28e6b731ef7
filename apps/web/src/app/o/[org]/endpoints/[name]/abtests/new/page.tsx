import { NewAbTestView } from "~/components/abtests/new-abtest-view";

export const metadata = { title: "Start an A/B test" };

export default async function NewAbTestPage({ params }: { params: Promise<{ org: string; name: string }> }) {
  const { org, name } = await params;
  return <NewAbTestView org={org} endpoint={decodeURIComponent(name)} />;
}
