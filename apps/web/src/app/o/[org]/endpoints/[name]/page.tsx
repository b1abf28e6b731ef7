import { EndpointView } from "~/components/endpoints/endpoint-view";

export const metadata = { title: "Endpoint" };

export default async function EndpointPage({ params }: { params: Promise<{ org: string; name: string }> }) {
  const { org, name } = await params;
  return <EndpointView org={org} name={decodeURIComponent(name)} />;
}
