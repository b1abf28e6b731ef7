"use client";

import { useQuery } from "@tanstack/react-query";

import { Card } from "~/components/ui/card";
import { useTRPC } from "~/trpc/react";

import { RunsTable } from "../runs/runs-table";

/** Runs nested under this one (MLflow's `mlflow.parentRunId` tag); nothing when there are none. */
export function ChildRuns({ org, runId, experimentId }: { org: string; runId: string; experimentId: string }) {
  const trpc = useTRPC();
  const children = useQuery(trpc.run.search.queryOptions({ experimentIds: [experimentId], filter: `tags.\`mlflow.parentRunId\` = '${runId}'`, maxResults: 50 }));
  const runs = children.data?.runs ?? [];
  if (!runs.length) return null;
  return (
    <Card title="Child runs" description={children.data?.nextPageToken ? "The first 50." : `${runs.length} nested under this run.`}>
      <RunsTable runs={runs} org={org} columns={[]} caption="Child runs" />
    </Card>
  );
}
