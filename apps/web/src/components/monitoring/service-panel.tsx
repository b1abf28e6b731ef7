import type { Monitor } from "@gantry/schema/monitoring-contracts";

import { Badge, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";

const format = (name: string, value: number | null) => (value === null ? "—" : name === "error_rate" ? `${(value * 100).toFixed(2)}%` : value.toFixed(name === "traffic" ? 0 : 1));

/** A service monitor's recent evaluations: each check's measure against its threshold. */
export function ServicePanel({ monitor }: { monitor: Monitor }) {
  const judged = monitor.recent.filter((r) => r.findings.length > 0).slice(0, 12);
  return (
    <Card title={`Checks: ${monitor.name}`} description="Each evaluation's checks (traffic, error rate, p99 latency) against the monitor's thresholds.">
      {judged.length === 0 ? <EmptyState>No evaluation has judged anything yet.</EmptyState> : null}
      {judged.length ? (
        <Table head={["Evaluated", "Status", "Checks"]} caption={`Checks of ${monitor.name}`}>
          {judged.map((r) => (
            <tr key={r.id}>
              <Td className="whitespace-nowrap text-slate-600">{r.evaluatedAt.toLocaleString()}</Td>
              <Td>
                <Badge tone={r.status === "ok" ? "green" : "red"}>{r.status}</Badge>
              </Td>
              <Td>
                {r.findings.map((f) => (
                  <span key={f.name} className={`mr-4 whitespace-nowrap ${f.flagged ? "font-medium text-red-700" : "text-slate-600"}`}>
                    {f.name} {format(f.name, f.statistic)} (limit {format(f.name, f.threshold)})
                  </span>
                ))}
              </Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Card>
  );
}
