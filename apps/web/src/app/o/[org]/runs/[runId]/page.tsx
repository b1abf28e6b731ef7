import { RunView } from "~/components/tracking/run/run-view";

export const metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ org: string; runId: string }> }) {
  const { org, runId } = await params;
  return <RunView org={org} runId={runId} />;
}
