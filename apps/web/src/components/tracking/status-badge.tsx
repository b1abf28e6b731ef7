import type { RunStatus } from "@gantry/schema/tracking";

import { Badge } from "~/components/ui/card";

import { statusTone } from "./format";

export function StatusBadge({ status }: { status: RunStatus }) {
  return <Badge tone={statusTone[status]}>{status.toLowerCase()}</Badge>;
}
