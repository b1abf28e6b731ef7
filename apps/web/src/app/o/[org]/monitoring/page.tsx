import { OrgMonitors } from "~/components/monitoring/org-monitors";
import { PageHeader } from "~/components/ui/card";

export const metadata = { title: "Monitoring" };

export default async function MonitoringPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <>
      <PageHeader title="Monitoring" description="Data drift, prediction drift and service health of the org's endpoints. Each endpoint has a dashboard; findings raise alerts and may start retraining." />
      <OrgMonitors org={org} />
    </>
  );
}
