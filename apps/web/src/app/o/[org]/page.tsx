import Link from "next/link";

import { areas } from "~/components/shell/areas";
import { Card, PageHeader } from "~/components/ui/card";
import { membershipBySlug, requireUser } from "~/server/session";

export default async function OverviewPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const user = await requireUser(`/o/${slug}`);
  const membership = await membershipBySlug(user.id, slug);
  return (
    <>
      <PageHeader title={membership?.org.name ?? slug} description={`You are ${membership?.role === "admin" || membership?.role === "owner" ? "an" : "a"} ${membership?.role ?? "member"} of this organisation.`} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Connect the CLI and client" description="Create an API key, then log in from your terminal.">
          <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700">
            <li>
              <Link className="font-medium text-brand-600 hover:underline" href={`/o/${slug}/api-keys`}>
                Create an API key
              </Link>{" "}
              with the scopes you need.
            </li>
            <li>
              <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">pnpm gantry login --url &lt;this site&gt; --key &lt;key&gt;</code>
            </li>
            <li>
              <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">pnpm gantry whoami</code>
            </li>
          </ol>
        </Card>
        <Card title="What's here" description="The loop Gantry closes, area by area.">
          <ul className="space-y-2 text-sm">
            {areas.map((a) => (
              <li key={a.slug}>
                <Link className="font-medium text-brand-600 hover:underline" href={`/o/${slug}/${a.slug}`}>
                  {a.label}
                </Link>{" "}
                <span className="text-slate-600">— {a.blurb}</span>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </>
  );
}
