import { PageHeader } from "~/components/ui/card";
import { OrgSettingsForm } from "~/components/org/org-settings-form";

export const metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="The organisation's name and URL." />
      <OrgSettingsForm />
    </>
  );
}
