import { ModelList } from "~/components/models/model-list";
import { PageHeader } from "~/components/ui/card";

export const metadata = { title: "Models" };

export default async function ModelsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <>
      <PageHeader title="Models" description="The model registry: versions made from training runs, aliases that name the one in use, lineage and model cards." />
      <ModelList org={org} />
    </>
  );
}
