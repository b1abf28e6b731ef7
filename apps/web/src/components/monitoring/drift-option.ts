import type { BarSeriesOption, HeatmapSeriesOption } from "echarts/charts";

import type { MonitorResult } from "@gantry/schema/monitoring-contracts";

import type { ChartOption } from "../charts/echart";

export type Finding = MonitorResult["findings"][number];

/** Past this, a cell is as red as it gets (a p-value of 0 would be infinitely far). */
const RATIO_CAP = 4;

/**
 * How far a finding is from its threshold, the same way round for every test: 1 is the threshold,
 * above it is drift. Distances (Wasserstein, Jensen–Shannon) are statistic / threshold; χ² is a
 * p-value that drifts when *below* its threshold, so it is threshold / p. Null: nothing measured.
 */
export function driftRatio(f: Finding): number | null {
  if (f.statistic === null || f.test === "none" || !(f.threshold > 0)) return null;
  const ratio = f.test === "chi_square" ? f.threshold / Math.max(f.statistic, 1e-12) : f.statistic / f.threshold;
  return Math.min(RATIO_CAP, ratio);
}

const timeLabel = (d: Date) => d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** The evaluations the heatmap draws (oldest first) and the features they judged (in first-seen order). */
export function heatmapAxes(recent: MonitorResult[]): { evaluations: MonitorResult[]; features: string[] } {
  const evaluations = recent.filter((r) => r.findings.length > 0).sort((a, b) => a.evaluatedAt.getTime() - b.evaluatedAt.getTime());
  const features = [...new Set(evaluations.flatMap((r) => r.findings.map((f) => f.name)))];
  return { evaluations, features };
}

type Cell = { value: [number, number, number | "-"]; finding: Finding | null; resultId: string };

/**
 * Features × evaluations: each cell the finding's distance to its threshold (driftRatio), in
 * bands so a flagged cell (≥ 1) is plainly red and marked. A click's data carries the result id.
 */
export function driftHeatmapOption(recent: MonitorResult[]): ChartOption {
  const { evaluations, features } = heatmapAxes(recent);
  const cells: Cell[] = evaluations.flatMap((r, x) =>
    features.map((name, y) => {
      const finding = r.findings.find((f) => f.name === name) ?? null;
      const ratio = finding ? driftRatio(finding) : null;
      return { value: [x, y, ratio === null ? "-" : Number(ratio.toFixed(3))], finding, resultId: r.id };
    }),
  );
  const series: HeatmapSeriesOption = {
    type: "heatmap",
    name: "drift",
    data: cells.map((c) => ({
      value: c.value,
      resultId: c.resultId,
      flagged: c.finding?.flagged ?? false,
      label: { show: c.finding?.flagged ?? false, formatter: "▲", color: "#fff", fontWeight: "bold" },
      itemStyle: c.finding?.flagged ? { borderColor: "#7f1d1d", borderWidth: 2 } : { borderColor: "#fff", borderWidth: 1 },
    })) as HeatmapSeriesOption["data"],
    emphasis: { itemStyle: { borderColor: "#0f172a", borderWidth: 2 } },
  };
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 16, bottom: 72, containLabel: true },
    tooltip: {
      confine: true,
      formatter: (params: { data?: { value: Cell["value"] } }) => {
        const [x, y] = params.data?.value ?? [0, 0];
        const r = evaluations[x];
        const f = r?.findings.find((g) => g.name === features[y]);
        if (!r || !f) return "";
        const stat = f.statistic === null ? "—" : f.statistic.toPrecision(3);
        return `${features[y]} at ${r.evaluatedAt.toLocaleString()}<br/>${f.test}: ${stat} (threshold ${f.threshold})<br/>${f.flagged ? "<b>drift</b>" : "no drift"}${f.note ? `<br/>${f.note}` : ""}`;
      },
    },
    xAxis: { type: "category", data: evaluations.map((r) => timeLabel(r.evaluatedAt)), name: "evaluated", nameLocation: "middle", nameGap: 30, splitArea: { show: true } },
    yAxis: { type: "category", data: features, splitArea: { show: true } },
    visualMap: {
      type: "piecewise",
      dimension: 2,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      pieces: [
        { lt: 0.5, label: "< ½ threshold", color: "#d3f9d8" },
        { gte: 0.5, lt: 1, label: "near threshold", color: "#ffe066" },
        { gte: 1, lt: 2, label: "drift", color: "#fa5252" },
        { gte: 2, label: "≥ 2× threshold", color: "#c92a2a" },
      ],
      outOfRange: { color: "#e9ecef" },
    },
    series: [series],
  };
}

/** The reference's and the window's share per bin (numeric) or category, side by side. */
export function sharesBarOption(f: Finding): ChartOption {
  const labels = f.reference?.labels ?? f.current?.labels ?? [];
  const pct = (shares: number[] | undefined) => labels.map((_, i) => Number(((shares?.[i] ?? 0) * 100).toFixed(1)));
  const series: BarSeriesOption[] = [
    { type: "bar", name: "reference", color: "#868e96", data: pct(f.reference?.shares) },
    { type: "bar", name: "current", color: f.flagged ? "#e03131" : "#2459c9", data: pct(f.current?.shares) },
  ];
  return {
    animation: false,
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true, valueFormatter: (v: unknown) => `${String(v)}%` },
    xAxis: { type: "category", data: labels, axisLabel: { hideOverlap: true } },
    yAxis: { type: "value", name: "%", max: (v: { max: number }) => Math.min(100, Math.ceil(v.max / 10) * 10 || 10) },
    series,
  };
}
