/** The portal's URLs of jobs, sweeps and schedules. */
export const jobsHref = (org: string) => `/o/${org}/jobs`;
export const jobHref = (org: string, jobId: string) => `/o/${org}/jobs/${jobId}`;

/** The training form, its dataset (and version) chosen when given. */
export function newJobHref(org: string, from: { dataset?: string; version?: number | "latest" } = {}): string {
  const query = new URLSearchParams();
  if (from.dataset) query.set("dataset", from.dataset);
  if (from.dataset && from.version !== undefined) query.set("version", String(from.version));
  const q = query.toString();
  return `/o/${org}/jobs/new${q ? `?${q}` : ""}`;
}

export const newSweepHref = (org: string, from: { dataset?: string; version?: number } = {}) => newJobHref(org, from).replace("/jobs/new", "/jobs/new-sweep");
export const schedulesHref = (org: string) => `/o/${org}/schedules`;
