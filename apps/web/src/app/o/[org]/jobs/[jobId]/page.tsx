import { JobView } from "~/components/jobs/job-view";

export const metadata = { title: "Job" };

export default async function JobPage({ params }: { params: Promise<{ org: string; jobId: string }> }) {
  const { org, jobId } = await params;
  return <JobView org={org} jobId={jobId} />;
}
