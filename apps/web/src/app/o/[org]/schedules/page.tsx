import Link from "next/link";

import { ScheduleList } from "~/components/schedules/schedule-list";
import { PageHeader } from "~/components/ui/card";

export const metadata = { title: "Schedules" };

export default async function SchedulesPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <>
      <PageHeader
        title="Schedules"
        description="Training on a cron, read in the schedule's time zone; a worker fires the due ones every minute."
        actions={
          <Link href={`/o/${org}/schedules/new`} className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700">
            New schedule
          </Link>
        }
      />
      <ScheduleList org={org} />
    </>
  );
}
