"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";

import { Alert, EmptyState, PageHeader } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { CompareCharts } from "./compare-charts";
import { LatestMetrics, ParamDiff } from "./param-diff";
import { ParallelChart } from "./parallel-chart";
import { labelRuns } from "./run-labels";

export function CompareView({ org, experimentId, runIds }: { org: string; experimentId: string; runIds: string[] }) {
  const trpc = useTRPC();
  const experiment = useQuery(trpc.experiment.get.queryOptions({ experimentId }));
  const comparison = useQuery({ ...trpc.run.compare.queryOptions({ runIds }), enabled: runIds.length > 0 });
  const runs = useMemo(() => {
    const found = comparison.data?.runs ?? [];
    // The order the runs were chosen in, whatever order they come back in.
    const ordered = runIds.map((id) => found.find((r) => r.info.id === id)).filter((r) => r !== undefined);
    return labelRuns(ordered);
  }, [comparison.data, runIds]);
  const back = (
    <p className="mb-2 text-sm">
      <Link href={`/o/${org}/experiments/${experimentId}`} className="text-brand-600 hover:underline">
        ← {experiment.data?.name ?? "Experiment"}
      </Link>
    </p>
  );
  if (runIds.length < 2) {
    return (
      <>
        {back}
        <PageHeader title="Compare runs" />
        <Alert tone="info">Choose two or more runs in the runs table, then Compare.</Alert>
      </>
    );
  }
  return (
    <>
      {back}
      <PageHeader title={`Compare ${runIds.length} runs`} description={experiment.data ? `In ${experiment.data.name}` : undefined} />
      {comparison.error ? <Alert>{errorInfo(comparison.error).message}</Alert> : null}
      {comparison.isPending ? <EmptyState>Loading runs…</EmptyState> : null}
      {comparison.data ? (
        <div className="space-y-6">
          <CompareCharts runs={runs} metricKeys={comparison.data.metricKeys} />
          <ParamDiff org={org} runs={runs} differing={comparison.data.differingParams} />
          <ParallelChart runs={runs} metricKeys={comparison.data.metricKeys} differing={comparison.data.differingParams} />
          <LatestMetrics org={org} runs={runs} metricKeys={comparison.data.metricKeys} />
        </div>
      ) : null}
    </>
  );
}
