import { describe, expect, it } from "vitest";

import type { EndpointTrafficPoint } from "@gantry/schema/serving-contracts";

import { latencyChartOption, minuteGrid, requestsChartOption, trafficTotals } from "./traffic-option";

const now = Date.UTC(2026, 0, 1, 12, 30, 42);
const minute = (m: number) => new Date(Date.UTC(2026, 0, 1, 12, m));
const point = (m: number, requests: number, errors = 0): EndpointTrafficPoint => ({ minute: minute(m), variant: "default", requests, errors, meanMs: 3, p50Ms: 2, p95Ms: 4, p99Ms: 5 });

type Series = { name: string; data: [number, number | null][] };

describe("traffic charts", () => {
  it("lays the window's minutes out oldest first, ending with the current one", () => {
    const grid = minuteGrid(3, now);
    expect(grid.map((m) => new Date(m).toISOString())).toEqual(["2026-01-01T12:28:00.000Z", "2026-01-01T12:29:00.000Z", "2026-01-01T12:30:00.000Z"]);
  });

  it("totals requests and errors; zero-fills counts and leaves latency gaps", () => {
    const points = [point(28, 4, 1), point(30, 2)];
    expect(trafficTotals(points)).toEqual({ requests: 6, errors: 1 });
    const grid = minuteGrid(3, now);
    const requests = (requestsChartOption(points, grid) as { series: Series[] }).series;
    expect(requests.map((s) => s.name)).toEqual(["requests", "errors"]);
    expect(requests[0]?.data.map(([, v]) => v)).toEqual([4, 0, 2]);
    expect(requests[1]?.data.map(([, v]) => v)).toEqual([1, 0, 0]);
    const latency = (latencyChartOption(points, grid) as { series: Series[] }).series;
    expect(latency.map((s) => s.name)).toEqual(["p50", "p95", "p99"]);
    expect(latency[2]?.data.map(([, v]) => v)).toEqual([5, null, 5]);
  });
});
