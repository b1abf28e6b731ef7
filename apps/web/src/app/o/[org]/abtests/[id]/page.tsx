import { AbTestView } from "~/components/abtests/abtest-view";

export const metadata = { title: "A/B test" };

export default async function AbTestPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  return <AbTestView org={org} id={id} />;
}
