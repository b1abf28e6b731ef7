import { EndpointList } from "~/components/endpoints/endpoint-list";
import { NewEndpointForm } from "~/components/endpoints/new-endpoint-form";
import { PageHeader } from "~/components/ui/card";

export const metadata = { title: "Endpoints" };

export default async function EndpointsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <>
      <PageHeader title="Endpoints" description="Model endpoints of this organisation: TensorFlow Serving and Open Inference Protocol URLs, revisions with rollback, live traffic." />
      <div className="space-y-6">
        <EndpointList org={org} />
        <NewEndpointForm org={org} />
      </div>
    </>
  );
}
