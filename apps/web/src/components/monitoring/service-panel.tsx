import type { Monitor } from "@gantry/schema/monitoring-contracts";

import { EChart } from "~/components/charts/echart";
import { lineChartOption, seriesColors } from "~/components/charts/line-option";
import { Badge, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";

/** Error rate as a percentage, traffic whole, latency to 0.1 ms, model metrics (accuracy, ROC AUC, log loss, RMSE…) to 4 digits. */
const format = (name: string, value: number | null) =>
  value === null ? "—" : name === "error_rate" ? `${(value * 100).toFixed(2)}%` : name === "traffic" ? value.toFixed(0) : name === "p99_latency_ms" ? value.toFixed(1) : Number(value.toPrecision(4)).toString();

/** A service or performance monitor's recent evaluations: each check's measure against its threshold. */
export function ServicePanel({ monitor }: { monitor: Monitor }) {
  const judged = monitor.recent.filter((r) => r.findings.length > 0).slice(0, 12);
  return (
    <Card
      title={`Checks: ${monitor.name}`}
      description={
        monitor.kind === "performance"
          ? "Each evaluation's metrics from the labels that arrived, and estimated without labels (CBPE), against the version's test split."
          : "Each evaluation's checks (traffic, error rate, p99 latency) against the monitor's thresholds."
      }
    >
      {monitor.kind === "performance" ? <PerformanceChart monitor={monitor} /> : null}
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

/** Pairs drawn together: a metric from labels and its estimate without them, in the same colour family. */
const PAIRS = [
  ["accuracy", "estimated_accuracy"],
  ["roc_auc", "estimated_roc_auc"],
  ["f1", "estimated_f1"],
] as const;

/** Performance over time: each metric from labels next to its estimate without labels, per evaluation. */
function PerformanceChart({ monitor }: { monitor: Monitor }) {
  const series = PAIRS.flatMap(([actual, estimate], i) =>
    [actual, estimate].map((name, k) => ({
      name: k ? `${actual} (estimated)` : actual,
      color: k ? `${seriesColors[i] ?? "#495057"}99` : seriesColors[i],
      points: monitor.recent
        .filter((r) => typeof r.score[name] === "number")
        .map((r) => ({ key: name, value: r.score[name] as number, timestamp: r.evaluatedAt.getTime(), step: 0 })),
    })),
  ).filter((s) => s.points.length > 0);
  if (!series.length) return null;
  return <EChart option={lineChartOption({ series, xAxis: "time" })} label={`Performance over time of ${monitor.name}: from labels and estimated`} height={240} />;
}
