import type { LineSeriesOption } from "echarts/charts";

import type { Metric } from "@gantry/schema/tracking-contracts";

import type { ChartOption } from "./echart";

export type XAxis = "step" | "time";

/** Fixed colours per run, so a run keeps its colour in every chart of a comparison. */
export const seriesColors = ["#2459c9", "#e8590c", "#2f9e44", "#c2255c", "#7048e8", "#0c8599", "#e67700", "#5c940d", "#862e9c", "#495057"];

/** Lines of metric points against step or wall time; non-finite values leave a gap. */
export function lineChartOption({ series, xAxis }: { series: { name: string; points: Metric[]; color?: string }[]; xAxis: XAxis }): ChartOption {
  const legend = series.length > 1;
  return {
    animation: false,
    grid: { left: 8, right: 16, top: legend ? 40 : 16, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", confine: true },
    ...(legend ? { legend: { type: "scroll", top: 0 } } : {}),
    xAxis: xAxis === "time" ? { type: "time" } : { type: "value", max: "dataMax" },
    yAxis: { type: "value", scale: true },
    dataZoom: [{ type: "inside" }],
    series: series.map((s): LineSeriesOption => ({
      type: "line",
      name: s.name,
      ...(s.color ? { color: s.color } : {}),
      showSymbol: s.points.length < 40,
      connectNulls: false,
      data: s.points
        .map((p) => [xAxis === "time" ? p.timestamp : p.step, Number.isFinite(p.value) ? p.value : null] as [number, number | null])
        .sort((a, b) => a[0] - b[0]),
    })),
  };
}
