import Link from "next/link";

import { JobList } from "~/components/jobs/job-list";
import { newJobHref, newSweepHref } from "~/components/jobs/links";
import { PageHeader } from "~/components/ui/card";

export const metadata = { title: "Jobs" };

export default async function JobsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <>
      <PageHeader
        title="Jobs"
        description="Training jobs and sweeps run by the worker, with live progress; each training job logs a run."
        actions={
          <div className="flex items-center gap-2">
            <Link href={newSweepHref(org)} className="rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50">
              New sweep
            </Link>
            <Link href={newJobHref(org)} className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700">
              New training job
            </Link>
          </div>
        }
      />
      <JobList org={org} />
    </>
  );
}
