import { TrainingForm } from "~/components/jobs/training-form";

export const metadata = { title: "New training job" };

/** `?dataset=NAME&version=N` preselects the data (the "Train a model" links of dataset pages). */
export default async function NewJobPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<{ dataset?: string; version?: string }> }) {
  const { org } = await params;
  const { dataset, version } = await searchParams;
  const pinned = version && /^[1-9]\d{0,8}$/.test(version) ? Number(version) : "latest";
  return <TrainingForm org={org} dataset={{ name: typeof dataset === "string" ? dataset : "", version: pinned }} />;
}
