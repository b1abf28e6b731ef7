import { PageHeader } from "~/components/ui/card";
import { NewWebhookForm } from "~/components/webhooks/new-webhook-form";
import { WebhookList } from "~/components/webhooks/webhook-list";
import { membershipBySlug, requireUser } from "~/server/session";

export const metadata = { title: "Webhooks" };

export default async function WebhooksPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const user = await requireUser(`/o/${org}/settings/webhooks`);
  const membership = await membershipBySlug(user.id, org);
  const admin = membership?.role === "admin" || membership?.role === "owner";
  return (
    <>
      <PageHeader title="Webhooks" description="Where alerts are pushed as they fire and resolve: signed, and retried until delivered. Managed by admins." />
      <div className="space-y-6">
        {admin ? <NewWebhookForm /> : null}
        <WebhookList admin={admin} />
      </div>
    </>
  );
}
