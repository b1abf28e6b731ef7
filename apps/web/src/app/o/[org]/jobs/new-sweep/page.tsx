import { SweepForm } from "~/components/jobs/sweep/sweep-form";

export const metadata = { title: "New sweep" };

/** `?dataset=NAME&version=N` preselects the data (the "Start a sweep" link of a dataset version). */
export default async function NewSweepPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<{ dataset?: string; version?: string }> }) {
  const { org } = await params;
  const { dataset, version } = await searchParams;
  const pinned = version && /^[1-9]\d{0,8}$/.test(version) ? Number(version) : "latest";
  return <SweepForm org={org} dataset={{ name: typeof dataset === "string" ? dataset : "", version: pinned }} />;
}
