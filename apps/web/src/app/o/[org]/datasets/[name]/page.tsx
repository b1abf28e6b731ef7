import { DatasetView } from "~/components/datasets/dataset-view";

export const metadata = { title: "Dataset" };

export default async function DatasetPage({ params }: { params: Promise<{ org: string; name: string }> }) {
  const { org, name } = await params;
  return <DatasetView org={org} name={name} />;
}
