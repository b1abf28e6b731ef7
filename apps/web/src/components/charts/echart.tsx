"use client";

import { BarChart, GraphChart, HeatmapChart, LineChart, ParallelChart } from "echarts/charts";
import { DataZoomComponent, GridComponent, LegendComponent, ParallelComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import type { ECharts, EChartsCoreOption } from "echarts/core";
import { init, use as registerEcharts } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

// Only what the portal draws: tree-shaking keeps the rest of echarts out of the bundle.
registerEcharts([BarChart, GraphChart, HeatmapChart, LineChart, ParallelChart, GridComponent, TooltipComponent, LegendComponent, ParallelComponent, DataZoomComponent, VisualMapComponent, CanvasRenderer]);

/**
 * echarts' composed option type turns into an index signature once grid and parallel axes are
 * both in it (and then rejects `animation`); builders type their series with the series types.
 */
export type ChartOption = EChartsCoreOption;

/**
 * An echarts canvas that follows its container's size. The option replaces the previous one
 * whole (no merge), so removed series disappear. `label` names the chart for assistive tech.
 */
export function EChart({
  option,
  label,
  height = 260,
  className = "",
  onItemClick,
}: {
  option: ChartOption;
  label: string;
  height?: number;
  className?: string;
  /** A click on a data item (a node of a graph, a bar …), with that item's data. */
  onItemClick?: (data: unknown) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const clickHandler = useRef(onItemClick);
  useEffect(() => {
    clickHandler.current = onItemClick;
  }, [onItemClick]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = init(element, undefined, { renderer: "canvas" });
    chart.current = instance;
    instance.on("click", (params) => clickHandler.current?.(params.data));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={container} role="img" aria-label={label} className={`w-full ${className}`} style={{ height }} data-chart />;
}
