import { AuditLog } from "~/components/org/audit-log";
import { PageHeader } from "~/components/ui/card";

export const metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    <>
      <PageHeader title="Audit log" description="Every change in this organisation: who, what, when. Visible to admins and owners." />
      <AuditLog />
    </>
  );
}
