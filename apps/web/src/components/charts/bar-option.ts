import type { BarSeriesOption } from "echarts/charts";

import type { ChartOption } from "./echart";

/**
 * Bars of counts by label: a histogram's bins (vertical, touching) or a category's most frequent
 * values (horizontal, the largest on top, so long labels stay readable).
 */
export function barChartOption({ labels, counts, name, horizontal = false, color = "#2459c9" }: { labels: string[]; counts: number[]; name: string; horizontal?: boolean; color?: string }): ChartOption {
  const category = { type: "category" as const, data: labels, axisTick: { alignWithLabel: true }, ...(horizontal ? { inverse: true, axisLabel: { width: 110, overflow: "truncate" as const } } : { axisLabel: { hideOverlap: true } }) };
  const value = { type: "value" as const, minInterval: 1 };
  const series: BarSeriesOption = { type: "bar", name, data: counts, color, barCategoryGap: horizontal ? "25%" : "4%" };
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 12, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? category : value,
    series: [series],
  };
}
