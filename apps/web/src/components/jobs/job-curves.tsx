"use client";

import { useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";

import { EChart } from "~/components/charts/echart";
import { lineChartOption, seriesColors } from "~/components/charts/line-option";
import { Alert, Card, EmptyState } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { formatMetric } from "../tracking/format";
import { groupCurves } from "./job-format";
import { useFinalRefresh } from "./use-final-refresh";

/** Charts poll this often while the job trains. */
const LIVE_MS = 2000;

function CurveChart({ runId, name, keys, live, latest }: { runId: string; name: string; keys: string[]; live: boolean; latest: Record<string, number> }) {
  const trpc = useTRPC();
  const charts = useQueries({ queries: keys.map((key) => ({ ...trpc.run.metricChart.queryOptions({ runId, key, points: 1000 }), refetchInterval: live ? LIVE_MS : (false as const) })) });
  const data = charts.map((c) => c.data);
  const option = useMemo(
    () => lineChartOption({ series: keys.map((key, i) => ({ name: key, color: seriesColors[i], points: data[i]?.points ?? [] })), xAxis: "step" }),
    // `data` is a new array each render; its items are stable query results.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [keys.join(","), ...data],
  );
  const headingId = `curve-${name.replace(/[^\w-]/g, "_")}`;
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="job-curve">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={headingId} className="font-mono text-sm font-semibold text-slate-900">
          {name}
        </h3>
        <span className="text-xs text-slate-500">
          {keys.map((k) => (
            <span key={k} className="ml-2">
              {k} <span className="font-mono text-slate-800">{formatMetric(latest[k])}</span>
            </span>
          ))}
        </span>
      </header>
      <EChart option={option} label={`${keys.join(" and ")} by epoch`} height={220} className="mt-2" />
    </section>
  );
}

/** The run's learning curves by epoch, refreshed while the job trains. */
export function JobCurves({ runId, live }: { runId: string | null; live: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useQuery({ ...trpc.run.get.queryOptions({ runId: runId ?? "" }), enabled: Boolean(runId), refetchInterval: live ? LIVE_MS : false });
  useFinalRefresh(live, () => queryClient.invalidateQueries(trpc.run.pathFilter()));
  const metrics = run.data?.data.metrics ?? [];
  const groups = groupCurves(metrics.map((m) => m.key));
  const latest = Object.fromEntries(metrics.map((m) => [m.key, m.value]));
  return (
    <Card title="Learning curves" description={live ? "Live: updated after every epoch." : "Per epoch, on the training and validation splits."}>
      {run.error ? <Alert>{errorInfo(run.error).message}</Alert> : null}
      {!runId || (run.isSuccess && groups.length === 0) ? <EmptyState>{live ? "Curves appear after the first epoch." : "No per-epoch metrics were logged."}</EmptyState> : null}
      {runId && groups.length ? (
        <div className="grid gap-4 xl:grid-cols-2">
          {groups.map((g) => (
            <CurveChart key={g.name} runId={runId} name={g.name} keys={g.keys} live={live} latest={latest} />
          ))}
        </div>
      ) : null}
    </Card>
  );
}
