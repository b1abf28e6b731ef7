import Link from "next/link";
import { notFound } from "next/navigation";

import { Nav } from "~/components/shell/nav";
import { OrgSwitcher } from "~/components/shell/org-switcher";
import { UserMenu } from "~/components/shell/user-menu";
import { membershipBySlug, myOrgs, requireUser } from "~/server/session";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const user = await requireUser(`/o/${slug}`);
  const membership = await membershipBySlug(user.id, slug);
  if (!membership) notFound();
  const orgs = await myOrgs(user.id);

  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <aside className="flex shrink-0 flex-col gap-6 border-b border-slate-200 bg-white p-4 md:sticky md:top-0 md:h-screen md:w-60 md:border-b-0 md:border-r">
        <Link href={`/o/${slug}`} className="flex items-center gap-2 px-1 text-base font-semibold">
          <span className="inline-block size-5 rounded bg-brand-600" aria-hidden /> Gantry
        </Link>
        <OrgSwitcher current={slug} orgs={orgs.map((o) => ({ slug: o.slug, name: o.name, role: o.role }))} />
        <div className="flex-1 overflow-y-auto">
          <Nav org={slug} />
        </div>
        <UserMenu email={user.email} role={membership.role} />
      </aside>
      <main className="min-w-0 flex-1 px-4 py-6 md:px-10 md:py-8">{children}</main>
    </div>
  );
}
