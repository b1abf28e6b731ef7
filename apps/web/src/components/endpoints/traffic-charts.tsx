"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import { EChart } from "~/components/charts/echart";
import { Alert, Card } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { latencyChartOption, minuteGrid, requestsChartOption, trafficTotals } from "./traffic-option";

const WINDOW_MINUTES = 60;
const REFRESH_MS = 5_000;

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-xl font-semibold tabular-nums text-slate-900" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

/** The last hour of the endpoint's traffic and latency, per minute, refreshed every few seconds. */
export function TrafficCharts({ name }: { name: string }) {
  const trpc = useTRPC();
  const traffic = useQuery({ ...trpc.endpoint.traffic.queryOptions({ name, minutes: WINDOW_MINUTES }), refetchInterval: REFRESH_MS });
  const points = useMemo(() => traffic.data ?? [], [traffic.data]);
  const options = useMemo(() => {
    // The grid moves with each refresh, so the window slides even when no request comes.
    const grid = minuteGrid(WINDOW_MINUTES, traffic.dataUpdatedAt || Date.now());
    return { requests: requestsChartOption(points, grid), latency: latencyChartOption(points, grid) };
  }, [points, traffic.dataUpdatedAt]);
  const totals = trafficTotals(points);
  const errorRate = totals.requests ? `${((totals.errors / totals.requests) * 100).toFixed(1)}%` : "—";

  return (
    <Card title="Traffic" description="Requests, errors and latency quantiles per minute over the last hour, as the serving processes count them (every few seconds).">
      {traffic.error ? <Alert>{errorInfo(traffic.error).message}</Alert> : null}
      <dl aria-label="Traffic, last hour" className="mb-4 flex flex-wrap gap-8">
        <Figure label="Requests (last hour)" value={String(totals.requests)} testId="traffic-requests" />
        <Figure label="Errors (last hour)" value={String(totals.errors)} testId="traffic-errors" />
        <Figure label="Error rate" value={errorRate} testId="traffic-error-rate" />
      </dl>
      <div className="grid gap-6 xl:grid-cols-2">
        <div>
          <h3 className="mb-1 text-sm font-semibold text-slate-900">Requests and errors per minute</h3>
          <EChart option={options.requests} label={`Requests and errors per minute of ${name}`} />
        </div>
        <div>
          <h3 className="mb-1 text-sm font-semibold text-slate-900">Latency per minute (p50, p95, p99)</h3>
          <EChart option={options.latency} label={`Latency per minute of ${name}`} />
        </div>
      </div>
    </Card>
  );
}
