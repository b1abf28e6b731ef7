import { RunsView } from "~/components/tracking/runs/runs-view";

export const metadata = { title: "Runs" };

export default async function ExperimentPage({ params }: { params: Promise<{ org: string; experimentId: string }> }) {
  const { org, experimentId } = await params;
  return <RunsView org={org} experimentId={experimentId} />;
}
