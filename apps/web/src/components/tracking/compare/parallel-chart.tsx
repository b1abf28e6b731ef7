"use client";

import type { ParallelSeriesOption } from "echarts/charts";
import { useMemo } from "react";

import type { ChartOption } from "~/components/charts/echart";
import { EChart } from "~/components/charts/echart";
import { Card, EmptyState } from "~/components/ui/card";

import type { LabelledRun } from "./run-labels";

/** An axis: numbers, or `categories` (a sweep's activations, layer shapes) in the given order. */
export type ParallelDimension = { name: string; categories?: string[] };
/** One line across the axes, a value per dimension (missing: no point on that axis). */
export type ParallelLine = { label: string; color: string; values: (number | string | undefined)[]; emphasis?: boolean };

type RunDimension = { name: string; value: (r: LabelledRun) => number | undefined };

const paramNumber = (r: LabelledRun, key: string) => {
  const raw = r.run.data.params.find((p) => p.key === key)?.value;
  const n = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * The axes: differing params whose every logged value is a number (a param all runs share is a
 * flat line through one point), then the metrics.
 */
function dimensionsOf(runs: LabelledRun[], metricKeys: string[], differing: string[]): RunDimension[] {
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

/** Values spanning two or more orders of magnitude (learning rates, regularisation) read better on a log axis. */
function axisType(values: (number | string | undefined)[]): "value" | "log" {
  const defined = values.filter((v): v is number => typeof v === "number");
  if (defined.length < 2 || defined.some((v) => v <= 0)) return "value";
  return Math.max(...defined) / Math.min(...defined) >= 100 ? "log" : "value";
}

/** A parallel-coordinates canvas: one axis per dimension, one line per run or trial. */
export function ParallelCoordinates({ dimensions, lines, label, legend = true }: { dimensions: ParallelDimension[]; lines: ParallelLine[]; label: string; legend?: boolean }) {
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      tooltip: { trigger: "item" },
      ...(legend ? { legend: { type: "scroll", top: 0 } } : {}),
      parallel: { left: 48, right: 96, top: legend ? 64 : 40, bottom: 32 },
      parallelAxis: dimensions.map((d, i) =>
        d.categories
          ? { dim: i, name: d.name, type: "category", data: d.categories, nameTextStyle: { fontFamily: "monospace" } }
          : { dim: i, name: d.name, type: axisType(lines.map((l) => l.values[i])), scale: true, nameTextStyle: { fontFamily: "monospace" } },
      ),
      // Emphasised lines last, so they are drawn on top.
      series: [...lines]
        .sort((a, b) => Number(Boolean(a.emphasis)) - Number(Boolean(b.emphasis)))
        .map(
          (l): ParallelSeriesOption => ({
            type: "parallel",
            name: l.label,
            color: l.color,
            lineStyle: { width: l.emphasis ? 4 : 2, opacity: l.emphasis ? 1 : 0.75 },
            data: [l.values.map((v) => v ?? "-")],
          }),
        ),
    }),
    [dimensions, lines, legend],
  );
  return <EChart option={option} label={label} height={360} />;
}

/** A parallel-coordinates view: one axis per numeric param and metric, one line per run. */
export function ParallelChart({ runs, metricKeys, differing }: { runs: LabelledRun[]; metricKeys: string[]; differing: string[] }) {
  const dimensions = useMemo(() => dimensionsOf(runs, metricKeys, differing), [runs, metricKeys, differing]);
  const lines = useMemo(() => runs.map((r) => ({ label: r.label, color: r.color, values: dimensions.map((d) => d.value(r)) })), [runs, dimensions]);
  const axes = useMemo(() => dimensions.map((d) => ({ name: d.name })), [dimensions]);
  return (
    <Card title="Parallel coordinates" description="Numeric params that differ and the latest metric values; one line per run.">
      {dimensions.length < 2 ? (
        <EmptyState>Needs at least two numeric params or metrics.</EmptyState>
      ) : (
        <ParallelCoordinates dimensions={axes} lines={lines} label={`Parallel coordinates of ${dimensions.map((d) => d.name).join(", ")} for ${runs.length} runs`} />
      )}
    </Card>
  );
}
