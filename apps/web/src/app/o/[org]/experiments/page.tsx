import { CreateExperimentForm } from "~/components/tracking/experiments/create-experiment-form";
import { ExperimentList } from "~/components/tracking/experiments/experiment-list";
import { PageHeader } from "~/components/ui/card";

export const metadata = { title: "Experiments" };

export default async function ExperimentsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <>
      <PageHeader title="Experiments" description="Runs with their params, metrics and artifacts, logged from the client, the worker or any MLflow client." />
      <div className="space-y-6">
        <CreateExperimentForm org={org} />
        <ExperimentList org={org} />
      </div>
    </>
  );
}
