"use client";

import { useQueries } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import { EChart } from "~/components/charts/echart";
import type { XAxis } from "~/components/charts/line-option";
import { lineChartOption } from "~/components/charts/line-option";
import { Card, EmptyState } from "~/components/ui/card";
import { useTRPC } from "~/trpc/react";

import { XAxisSwitch } from "../x-axis-switch";
import type { LabelledRun } from "./run-labels";

function OverlaidChart({ metric, runs, xAxis }: { metric: string; runs: LabelledRun[]; xAxis: XAxis }) {
  const trpc = useTRPC();
  const logged = runs.filter((r) => r.run.data.metrics.some((m) => m.key === metric));
  const charts = useQueries({ queries: logged.map((r) => trpc.run.metricChart.queryOptions({ runId: r.run.info.id, key: metric, points: 1000 })) });
  const data = charts.map((c) => c.data);
  const option = useMemo(
    () => lineChartOption({ series: logged.map((r, i) => ({ name: r.label, color: r.color, points: data[i]?.points ?? [] })), xAxis }),
    // `data` is a new array each render; its items are stable query results.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [xAxis, metric, ...logged.map((r) => r.run.info.id), ...data],
  );
  const downsampled = data.some((d) => d?.downsampled);
  return (
    <section aria-labelledby={`cmp-${metric}`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="compare-chart">
      <h3 id={`cmp-${metric}`} className="font-mono text-sm font-semibold text-slate-900">
        {metric}
      </h3>
      <EChart option={option} label={`${metric} by ${xAxis === "step" ? "step" : "wall time"}, one line per run`} height={280} className="mt-2" />
      {downsampled ? <p className="mt-1 text-xs text-slate-500">Some runs are downsampled (extremes kept).</p> : null}
    </section>
  );
}

/** One chart per metric key, one line per run that logged it. */
export function CompareCharts({ runs, metricKeys }: { runs: LabelledRun[]; metricKeys: string[] }) {
  const [xAxis, setXAxis] = useState<XAxis>("step");
  return (
    <Card title="Metrics" description="Each run keeps its colour in every chart." actions={metricKeys.length ? <XAxisSwitch value={xAxis} onChange={setXAxis} /> : undefined}>
      {metricKeys.length === 0 ? <EmptyState>None of these runs logged metrics.</EmptyState> : null}
      <div className="grid gap-4 xl:grid-cols-2">
        {metricKeys.map((k) => (
          <OverlaidChart key={k} metric={k} runs={runs} xAxis={xAxis} />
        ))}
      </div>
    </Card>
  );
}
