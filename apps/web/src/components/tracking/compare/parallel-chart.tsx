"use client";

import type { ParallelSeriesOption } from "echarts/charts";
import { useMemo } from "react";

import type { ChartOption } from "~/components/charts/echart";
import { EChart } from "~/components/charts/echart";
import { Card, EmptyState } from "~/components/ui/card";

import type { LabelledRun } from "./run-labels";

type Dimension = { name: string; value: (r: LabelledRun) => number | undefined };

const paramNumber = (r: LabelledRun, key: string) => {
  const raw = r.run.data.params.find((p) => p.key === key)?.value;
  const n = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * The axes: differing params whose every logged value is a number (a param all runs share is a
 * flat line through one point), then the metrics.
 */
function dimensionsOf(runs: LabelledRun[], metricKeys: string[], differing: string[]): Dimension[] {
  const numericParams = differing.filter((k) => runs.every((r) => !r.run.data.params.some((p) => p.key === k) || paramNumber(r, k) !== undefined));
  return [
    ...numericParams.map((k) => ({ name: k, value: (r: LabelledRun) => paramNumber(r, k) })),
    ...metricKeys.map((k) => ({
      name: k,
      value: (r: LabelledRun) => {
        const v = r.run.data.metrics.find((m) => m.key === k)?.value;
        return v !== undefined && Number.isFinite(v) ? v : undefined;
      },
    })),
  ];
}

/** A parallel-coordinates view: one axis per numeric param and metric, one line per run. */
/** Values spanning two or more orders of magnitude (learning rates, regularisation) read better on a log axis. */
function axisType(values: (number | undefined)[]): "value" | "log" {
  const defined = values.filter((v): v is number => v !== undefined);
  if (defined.length < 2 || defined.some((v) => v <= 0)) return "value";
  return Math.max(...defined) / Math.min(...defined) >= 100 ? "log" : "value";
}

export function ParallelChart({ runs, metricKeys, differing }: { runs: LabelledRun[]; metricKeys: string[]; differing: string[] }) {
  const dimensions = useMemo(() => dimensionsOf(runs, metricKeys, differing), [runs, metricKeys, differing]);
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      tooltip: { trigger: "item" },
      legend: { type: "scroll", top: 0 },
      parallel: { left: 48, right: 96, top: 64, bottom: 32 },
      parallelAxis: dimensions.map((d, i) => ({ dim: i, name: d.name, type: axisType(runs.map(d.value)), scale: true, nameTextStyle: { fontFamily: "monospace" } })),
      series: runs.map((r): ParallelSeriesOption => ({
        type: "parallel",
        name: r.label,
        color: r.color,
        lineStyle: { width: 2, opacity: 0.9 },
        data: [dimensions.map((d) => d.value(r) ?? "-")],
      })),
    }),
    [runs, dimensions],
  );
  return (
    <Card title="Parallel coordinates" description="Numeric params that differ and the latest metric values; one line per run.">
      {dimensions.length < 2 ? (
        <EmptyState>Needs at least two numeric params or metrics.</EmptyState>
      ) : (
        <EChart option={option} label={`Parallel coordinates of ${dimensions.map((d) => d.name).join(", ")} for ${runs.length} runs`} height={360} />
      )}
    </Card>
  );
}
