import { describe, expect, it } from "vitest";

import type { MonitorResult } from "@gantry/schema/monitoring-contracts";

import type { Finding } from "./drift-option";
import { driftHeatmapOption, driftRatio, heatmapAxes, sharesBarOption } from "./drift-option";

const finding = (over: Partial<Finding>): Finding => ({ name: "tenure", test: "wasserstein_normed", statistic: 0.05, threshold: 0.1, flagged: false, ...over });
const result = (id: string, minute: number, findings: Finding[]): MonitorResult => {
  const at = new Date(Date.UTC(2026, 0, 1, 12, minute));
  return { id, evaluatedAt: at, windowStart: at, windowEnd: at, status: findings.some((f) => f.flagged) ? "drift" : "ok", rows: 200, score: {}, findings };
};

type Cell = { value: [number, number, number | "-"]; resultId: string; flagged: boolean };

describe("the drift heatmap", () => {
  it("puts every test's threshold at 1, drift above it", () => {
    expect(driftRatio(finding({ statistic: 0.05 }))).toBeCloseTo(0.5);
    expect(driftRatio(finding({ statistic: 0.2 }))).toBeCloseTo(2);
    // χ²'s statistic is a p-value: drift is below its threshold.
    expect(driftRatio(finding({ test: "chi_square", statistic: 0.01, threshold: 0.05 }))).toBeCloseTo(4);
    expect(driftRatio(finding({ test: "chi_square", statistic: 0.5, threshold: 0.05 }))).toBeCloseTo(0.1);
    expect(driftRatio(finding({ test: "chi_square", statistic: 0, threshold: 0.05 }))).toBe(4);
    expect(driftRatio(finding({ test: "none", statistic: null, threshold: 0 }))).toBeNull();
  });

  it("lays evaluations out oldest first against features, flagged cells marked, empty ones blank", () => {
    const recent = [
      result("r2", 10, [finding({ statistic: 0.3, flagged: true }), finding({ name: "plan", test: "none", statistic: null, threshold: 0 })]),
      result("r1", 5, [finding({ statistic: 0.02 }), finding({ name: "plan", test: "jensen_shannon", statistic: 0.06 })]),
      result("nodata", 7, []),
    ];
    expect(heatmapAxes(recent).evaluations.map((r) => r.id)).toEqual(["r1", "r2"]);
    expect(heatmapAxes(recent).features).toEqual(["tenure", "plan"]);
    const option = driftHeatmapOption(recent) as { series: { data: Cell[] }[]; yAxis: { data: string[] } };
    const cells = option.series[0]?.data ?? [];
    expect(cells.map((c) => c.value)).toEqual([
      [0, 0, 0.2],
      [0, 1, 0.6],
      [1, 0, 3],
      [1, 1, "-"],
    ]);
    expect(cells.filter((c) => c.flagged).map((c) => c.resultId)).toEqual(["r2"]);
  });

  it("draws the reference and current shares as percentages over the same labels", () => {
    const option = sharesBarOption(finding({ reference: { labels: ["a", "b"], shares: [0.25, 0.75] }, current: { labels: ["a", "b"], shares: [1, 0] } })) as {
      xAxis: { data: string[] };
      series: { name: string; data: number[] }[];
    };
    expect(option.xAxis.data).toEqual(["a", "b"]);
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ["reference", [25, 75]],
      ["current", [100, 0]],
    ]);
  });
});
