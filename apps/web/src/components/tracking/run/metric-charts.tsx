"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import type { Metric } from "@gantry/schema/tracking-contracts";

import { EChart } from "~/components/charts/echart";
import type { XAxis } from "~/components/charts/line-option";
import { lineChartOption } from "~/components/charts/line-option";
import { Alert, Card, EmptyState } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { formatMetric } from "../format";
import { XAxisSwitch } from "../x-axis-switch";

function MetricChart({ runId, latest, xAxis }: { runId: string; latest: Metric; xAxis: XAxis }) {
  const trpc = useTRPC();
  const chart = useQuery(trpc.run.metricChart.queryOptions({ runId, key: latest.key, points: 1000 }));
  const option = useMemo(() => lineChartOption({ series: [{ name: latest.key, points: chart.data?.points ?? [] }], xAxis }), [chart.data, latest.key, xAxis]);
  const headingId = `metric-${latest.key.replace(/[^\w-]/g, "_")}`;
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="metric-chart">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={headingId} className="font-mono text-sm font-semibold text-slate-900">
          {latest.key}
        </h3>
        <span className="text-xs text-slate-500">
          latest <span className="font-mono text-slate-800">{formatMetric(latest.value)}</span> at step {latest.step}
        </span>
      </header>
      {chart.error ? <Alert>{errorInfo(chart.error).message}</Alert> : <EChart option={option} label={`${latest.key} by ${xAxis === "step" ? "step" : "wall time"}`} height={240} className="mt-2" />}
      {chart.data?.downsampled ? <p className="mt-1 text-xs text-slate-500">Downsampled from {chart.data.total.toLocaleString()} points (extremes kept).</p> : null}
    </section>
  );
}

/** One line chart per metric the run logged. */
export function MetricCharts({ runId, metrics }: { runId: string; metrics: Metric[] }) {
  const [xAxis, setXAxis] = useState<XAxis>("step");
  const sorted = [...metrics].sort((a, b) => a.key.localeCompare(b.key));
  return (
    <Card title="Metrics" description={`${metrics.length} logged`} actions={metrics.length ? <XAxisSwitch value={xAxis} onChange={setXAxis} /> : undefined}>
      {metrics.length === 0 ? <EmptyState>No metrics logged.</EmptyState> : null}
      <div className="grid gap-4 xl:grid-cols-2">
        {sorted.map((m) => (
          <MetricChart key={m.key} runId={runId} latest={m} xAxis={xAxis} />
        ))}
      </div>
    </Card>
  );
}
