import { DatasetList } from "~/components/datasets/dataset-list";
import { UploadForm } from "~/components/datasets/upload-form";
import { PageHeader } from "~/components/ui/card";

export const metadata = { title: "Datasets" };

export default async function DatasetsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <>
      <PageHeader title="Datasets" description="Versioned CSV files with inferred schemas and column profiles; training jobs pin the version they read." />
      <div className="space-y-6">
        <UploadForm org={org} />
        <DatasetList org={org} />
      </div>
    </>
  );
}
