import { InvitationsCard } from "~/components/org/invitations-card";
import { MembersCard } from "~/components/org/members-card";
import { PageHeader } from "~/components/ui/card";
import { membershipBySlug, requireUser } from "~/server/session";

export const metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const user = await requireUser(`/o/${org}/members`);
  const membership = await membershipBySlug(user.id, org);
  const admin = membership?.role === "admin" || membership?.role === "owner";
  return (
    <>
      <PageHeader title="Members" description="Who belongs to this organisation, and what they may do." />
      <div className="space-y-6">
        <MembersCard meId={user.id} />
        {admin ? <InvitationsCard /> : null}
      </div>
    </>
  );
}
