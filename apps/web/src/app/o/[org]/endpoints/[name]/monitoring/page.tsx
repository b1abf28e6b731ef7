import { MonitoringDashboard } from "~/components/monitoring/monitoring-dashboard";

export const metadata = { title: "Monitoring" };

export default async function EndpointMonitoringPage({ params }: { params: Promise<{ org: string; name: string }> }) {
  const { org, name } = await params;
  return <MonitoringDashboard org={org} name={decodeURIComponent(name)} />;
}
