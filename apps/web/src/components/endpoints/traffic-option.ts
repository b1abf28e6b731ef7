import type { LineSeriesOption } from "echarts/charts";

import type { EndpointTrafficPoint } from "@gantry/schema/serving-contracts";

import type { ChartOption } from "../charts/echart";
import { seriesColors } from "../charts/line-option";

const MINUTE_MS = 60_000;

/** The window's minutes, oldest first, ending with the current one (as `endpoint.traffic` counts them). */
export function minuteGrid(minutes: number, now = Date.now()): number[] {
  const last = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  return Array.from({ length: minutes }, (_, i) => last - (minutes - 1 - i) * MINUTE_MS);
}

export function trafficTotals(points: EndpointTrafficPoint[]): { requests: number; errors: number } {
  return points.reduce((t, p) => ({ requests: t.requests + p.requests, errors: t.errors + p.errors }), { requests: 0, errors: 0 });
}

const variantsOf = (points: EndpointTrafficPoint[]) => [...new Set(points.map((p) => p.variant))].sort();

const byMinute = (points: EndpointTrafficPoint[], variant: string) => new Map(points.filter((p) => p.variant === variant).map((p) => [p.minute.getTime(), p]));

const base = (legend: boolean, yName: string) => ({
  animation: false,
  grid: { left: 8, right: 16, top: legend ? 40 : 24, bottom: 8, containLabel: true },
  tooltip: { trigger: "axis", confine: true },
  ...(legend ? { legend: { type: "scroll", top: 0 } } : {}),
  xAxis: { type: "time" },
  yAxis: { type: "value", name: yName, minInterval: yName === "requests" ? 1 : undefined },
});

/** Requests and errors per minute per variant; a minute without traffic is a zero, not a gap. */
export function requestsChartOption(points: EndpointTrafficPoint[], grid: number[]): ChartOption {
  const variants = variantsOf(points);
  const series = variants.flatMap((variant, i): LineSeriesOption[] => {
    const at = byMinute(points, variant);
    const color = seriesColors[i % seriesColors.length];
    const suffix = variants.length > 1 ? ` (${variant})` : "";
    return [
      { type: "line", name: `requests${suffix}`, color, showSymbol: false, areaStyle: { opacity: 0.08 }, data: grid.map((m) => [m, at.get(m)?.requests ?? 0]) },
      { type: "line", name: `errors${suffix}`, color: "#e03131", lineStyle: { type: "dashed" }, showSymbol: false, data: grid.map((m) => [m, at.get(m)?.errors ?? 0]) },
    ];
  });
  return { ...base(true, "requests"), series };
}

/** p50, p95 and p99 latency per minute (ms) per variant; a minute without samples leaves a gap. */
export function latencyChartOption(points: EndpointTrafficPoint[], grid: number[]): ChartOption {
  const variants = variantsOf(points);
  const quantiles = [
    { key: "p50Ms", label: "p50", color: "#2f9e44" },
    { key: "p95Ms", label: "p95", color: "#e67700" },
    { key: "p99Ms", label: "p99", color: "#c2255c" },
  ] as const;
  const series = variants.flatMap((variant, i): LineSeriesOption[] => {
    const at = byMinute(points, variant);
    const suffix = variants.length > 1 ? ` (${variant})` : "";
    return quantiles.map((q) => ({
      type: "line",
      name: `${q.label}${suffix}`,
      color: q.color,
      ...(i > 0 ? { lineStyle: { type: "dotted" } } : {}),
      showSymbol: true,
      symbolSize: 4,
      connectNulls: false,
      data: grid.map((m) => [m, at.get(m)?.[q.key] ?? null]),
    }));
  });
  return { ...base(true, "ms"), series };
}
