import type { JobStatus } from "@gantry/schema/jobs";

import { Badge } from "~/components/ui/card";

import { jobStatusTone } from "./job-format";

export function JobStatusBadge({ status, cancelling = false }: { status: JobStatus; cancelling?: boolean }) {
  return <Badge tone={cancelling && status === "running" ? "amber" : jobStatusTone[status]}>{cancelling && status === "running" ? "cancelling" : status}</Badge>;
}
