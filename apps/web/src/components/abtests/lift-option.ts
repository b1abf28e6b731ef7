import type { LineSeriesOption } from "echarts/charts";

import type { AbTestResults } from "@gantry/schema/abtest-contracts";

import type { ChartOption } from "../charts/echart";
import { seriesColors } from "../charts/line-option";

type Point = AbTestResults["series"][number];

/**
 * Each treatment's cumulative lift over the days with its confidence band (a stacked pair: the
 * lower bound, invisible, then the band's height filled), and the zero line of no effect. A
 * relative lift is drawn in percent.
 */
export function liftChartOption(series: Point[], { relative }: { relative: boolean }): ChartOption {
  const days = [...new Set(series.map((p) => p.day))].sort();
  const variants = [...new Set(series.map((p) => p.variant))];
  const scale = relative ? 100 : 1;
  const round = (x: number) => Number((x * scale).toPrecision(6));
  const lines = variants.flatMap((variant, i): LineSeriesOption[] => {
    const at = new Map(series.filter((p) => p.variant === variant).map((p) => [p.day, p]));
    const per = (value: (p: Point) => number) =>
      days.map((d) => {
        const p = at.get(d);
        return p ? round(value(p)) : null;
      });
    const color = seriesColors[(i + 1) % seriesColors.length];
    const stack = `ci-${variant}`;
    // One day has no area to fill: its bounds show as whisker ends instead.
    const whiskers = days.length === 1 ? { symbol: "rect", symbolSize: [14, 2] } : { symbol: "none" };
    const band = { type: "line" as const, stack, stackStrategy: "all" as const, ...whiskers, silent: true, lineStyle: { opacity: 0 }, color, tooltip: { show: false } };
    return [
      { ...band, name: `${variant} CI low`, data: per((p) => p.low) },
      { ...band, name: `${variant} CI`, areaStyle: { opacity: 0.18, color }, data: per((p) => p.high - p.low) },
      { type: "line", name: `${variant} lift`, color, showSymbol: true, symbolSize: 6, data: per((p) => p.effect) },
    ];
  });
  const zero: LineSeriesOption = { type: "line", name: "no effect", color: "#868e96", symbol: "none", silent: true, lineStyle: { type: "dashed", width: 1 }, data: days.map(() => 0) };
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", confine: true, valueFormatter: (v: unknown) => (typeof v === "number" ? `${v.toFixed(2)}${relative ? "%" : ""}` : "—") },
    legend: { type: "scroll", top: 0, data: variants.map((v) => `${v} lift`) },
    xAxis: { type: "category", data: days, boundaryGap: false },
    yAxis: { type: "value", name: relative ? "lift (%)" : "lift", scale: true },
    series: [...lines, zero],
  };
}
