import type { Monitor } from "@gantry/schema/monitoring-contracts";

import { Badge } from "~/components/ui/card";

type Status = Monitor["recent"][number]["status"];

const tone = { ok: "green", drift: "red", breach: "red", no_data: "slate" } as const;

/** A monitor's latest evaluation, or "not run yet". */
export function MonitorStatus({ monitor }: { monitor: Monitor }) {
  const latest = monitor.recent[0];
  if (!latest) return <Badge>not run yet</Badge>;
  return <Badge tone={tone[latest.status as Status]}>{latest.status === "no_data" ? "no data" : latest.status}</Badge>;
}

/** The monitor's schedule and what it judges, in a few words. */
export function monitorSummary(m: Monitor): string {
  const c = m.config;
  const schedule = `${c.windowMinutes} min window, every ${c.everyMinutes} min`;
  if (m.kind === "service") {
    const checks = [c.maxP99Ms !== undefined ? `p99 ≤ ${c.maxP99Ms} ms` : null, c.maxErrorRate !== undefined ? `errors ≤ ${(c.maxErrorRate * 100).toFixed(1)}%` : null, c.minRequests !== undefined ? `≥ ${c.minRequests} requests` : null];
    return `${schedule}; ${checks.filter(Boolean).join(", ")}`;
  }
  if (m.kind === "performance") return `${schedule}; ≥ ${c.minRows} rows, a breach when a metric falls more than ${c.maxMetricDrop} below the test split (labels: ≥ ${c.minLabels})`;
  return `${schedule}; ≥ ${c.minRows} rows, drift when ≥ ${Math.round(c.driftShare * 100)}% of ${m.kind === "data_drift" ? "features" : "outputs"} drift`;
}
