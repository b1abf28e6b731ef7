import type { RetrainRun } from "@gantry/schema/monitoring-contracts";

import { Badge } from "~/components/ui/card";

const tone = { training: "blue", gating: "blue", rolling_out: "amber", promoted: "green", rejected: "slate", rolled_back: "red", failed: "red" } as const;

export function RunStatus({ status }: { status: RetrainRun["status"] }) {
  return <Badge tone={tone[status]}>{status.replace("_", " ")}</Badge>;
}
