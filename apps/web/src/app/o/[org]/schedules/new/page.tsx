import { ScheduleForm } from "~/components/schedules/schedule-form";

export const metadata = { title: "New schedule" };

export default async function NewSchedulePage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return <ScheduleForm org={org} />;
}
