"use client";

import { useQuery } from "@tanstack/react-query";

import { Alert, EmptyState } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { RegisterFromRun } from "~/components/models/register-from-run";
import { ArtifactBrowser } from "./artifact-browser";
import { ChildRuns } from "./child-runs";
import { ParamsCard, TagsCard } from "./key-value-cards";
import { MetricCharts } from "./metric-charts";
import { RunHeader } from "./run-header";

export function RunView({ org, runId }: { org: string; runId: string }) {
  const trpc = useTRPC();
  const run = useQuery(trpc.run.get.queryOptions({ runId }));
  const experimentId = run.data?.info.experimentId;
  const experiment = useQuery({ ...trpc.experiment.get.queryOptions({ experimentId: experimentId ?? "" }), enabled: Boolean(experimentId) });
  if (run.error) return <Alert>{errorInfo(run.error).message}</Alert>;
  if (!run.data) return <EmptyState>Loading run…</EmptyState>;
  const { data, info } = run.data;
  return (
    <>
      <RunHeader org={org} run={run.data} experiment={experiment.data} />
      <div className="space-y-6">
        <MetricCharts runId={info.id} metrics={data.metrics} />
        <div className="grid gap-6 lg:grid-cols-2">
          <ParamsCard params={data.params} />
          <TagsCard tags={data.tags} />
        </div>
        <RegisterFromRun org={org} runId={info.id} finished={info.status === "FINISHED" && info.lifecycleStage === "active"} />
        <ArtifactBrowser org={org} runId={info.id} />
        <ChildRuns org={org} runId={info.id} experimentId={info.experimentId} />
      </div>
    </>
  );
}
