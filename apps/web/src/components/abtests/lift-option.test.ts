import { describe, expect, it } from "vitest";

import { liftChartOption } from "./lift-option";

type Series = { name: string; data: (number | null)[]; stack?: string };

describe("the cumulative lift chart", () => {
  it("draws each treatment's lift in percent over a stacked confidence band, with the zero line", () => {
    const option = liftChartOption(
      [
        { day: "2026-01-02", variant: "treatment", units: 40, effect: 0.3, low: -0.1, high: 0.7 },
        { day: "2026-01-01", variant: "treatment", units: 20, effect: 0.2, low: -0.4, high: 0.8 },
        { day: "2026-01-02", variant: "treatment-2", units: 30, effect: -0.05, low: -0.2, high: 0.1 },
      ],
      { relative: true },
    ) as { xAxis: { data: string[] }; series: Series[]; legend: { data: string[] } };
    expect(option.xAxis.data).toEqual(["2026-01-01", "2026-01-02"]);
    expect(option.legend.data).toEqual(["treatment lift", "treatment-2 lift"]);
    const byName = new Map(option.series.map((s) => [s.name, s]));
    expect(byName.get("treatment lift")?.data).toEqual([20, 30]);
    expect(byName.get("treatment CI low")?.data).toEqual([-40, -10]);
    expect(byName.get("treatment CI")?.data).toEqual([120, 80]);
    expect(byName.get("treatment CI")?.stack).toBe(byName.get("treatment CI low")?.stack);
    expect(byName.get("treatment-2 lift")?.data).toEqual([null, -5]);
    expect(byName.get("no effect")?.data).toEqual([0, 0]);
  });

  it("keeps an absolute lift in the metric's units", () => {
    const option = liftChartOption([{ day: "2026-01-01", variant: "treatment", units: 9, effect: 1.5, low: 0.5, high: 2.5 }], { relative: false }) as { series: Series[]; yAxis: { name: string } };
    expect(option.yAxis.name).toBe("lift");
    expect(option.series.find((s) => s.name === "treatment lift")?.data).toEqual([1.5]);
  });
});
