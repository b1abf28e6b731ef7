import { AlertList } from "~/components/alerts/alert-list";
import { PageHeader } from "~/components/ui/card";

export const metadata = { title: "Alerts" };

export default function AlertsPage() {
  return (
    <>
      <PageHeader title="Alerts" description="What needs a person: canary rollbacks now, monitors later. An alert raised again while firing updates the same one." />
      <AlertList />
    </>
  );
}
