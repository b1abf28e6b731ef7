"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";

import { endpointHref } from "~/components/endpoints/links";
import { BackLink } from "~/components/ui/back-link";
import { Button } from "~/components/ui/button";
import { Alert, Badge, Card, EmptyState, PageHeader } from "~/components/ui/card";
import { Fact, Facts } from "~/components/ui/facts";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { retrainingHref } from "./links";
import { RunTimeline } from "./run-timeline";

const ACTIVE = ["training", "gating", "rolling_out"];

/** One policy: its settings, Run now (or why not), and the automation timeline of its runs. */
export function PolicyView({ org, id }: { org: string; id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery({
    ...trpc.retrain.get.queryOptions({ id }),
    // A run in flight moves on its own (the worker advances it every minute): follow it.
    refetchInterval: (q) => (q.state.data?.runs.some((r) => ACTIVE.includes(r.status)) ? 5_000 : 30_000),
  });
  const run = useMutation(trpc.retrain.run.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.retrain.pathFilter()) }));
  const p = query.data;

  return (
    <>
      <BackLink href={retrainingHref(org)}>Retraining</BackLink>
      <PageHeader
        title={p?.name ?? "Retraining policy"}
        description={p ? <span className="flex flex-wrap items-center gap-2">{p.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>} retrains {p.model} for {p.endpoint}</span> : undefined}
        actions={
          p ? (
            <Button busy={run.isPending} onClick={() => run.mutate({ id })}>
              Run now
            </Button>
          ) : undefined
        }
      />
      {query.error ? <Alert>{errorInfo(query.error).message}</Alert> : null}
      {run.error ? <Alert>{errorInfo(run.error).message}</Alert> : null}
      {run.data && !run.data.started ? (
        <div className="mb-6" data-testid="retrain-refused">
          <Alert tone="info">Not started: {run.data.reason ?? "refused"}</Alert>
        </div>
      ) : null}
      {run.data?.started ? (
        <div className="mb-6">
          <Alert tone="success">Run started: the training job is queued.</Alert>
        </div>
      ) : null}
      {query.isPending ? <EmptyState>Loading policy…</EmptyState> : null}
      {p ? (
        <>
          <Facts label="Policy settings">
            <Fact label="Model">
              <Link className="text-brand-600 hover:underline" href={`/o/${org}/models/${encodeURIComponent(p.model)}`}>
                {p.model}
              </Link>
            </Fact>
            <Fact label="Endpoint">
              <Link className="text-brand-600 hover:underline" href={endpointHref(org, p.endpoint)}>
                {p.endpoint}
              </Link>
            </Fact>
            <Fact label="Triggers">{p.triggers.map((t) => t.replace("_", " ")).join(", ")}</Fact>
            <Fact label="Cool-down">{p.cooldownMinutes} min</Fact>
            <Fact label="Gate">
              {p.gate.metric} {p.gate.direction === "higher" ? "higher" : "lower"} is better, margin {p.gate.margin}
            </Fact>
            <Fact label="Canary">
              {p.rollout.steps.join(" → ")}%, every {p.rollout.everyMinutes !== undefined ? `${p.rollout.everyMinutes} min` : `${p.rollout.everyRequests} requests`}
            </Fact>
            <Fact label="Canary guards">
              errors ≤ {(p.rollout.maxErrorRate * 100).toFixed(1)}%, p99 ≤ {p.rollout.maxP99Ms} ms, ≥ {p.rollout.minRequests} requests
            </Fact>
            <Fact label="Dataset">
              {String((p.spec.dataset as { name?: string } | undefined)?.name ?? "—")} (latest version at each run
              {p.productionRows.enabled ? `, plus its labelled production rows of the last ${p.productionRows.days} days as a new version` : ""})
            </Fact>
          </Facts>
          <div className="space-y-6">
            <Card title="Automation timeline" description="Trigger → training job → gate against the champion on the same holdout → canary → promoted or rolled back.">
              <RunTimeline org={org} model={p.model} runs={p.runs} />
            </Card>
            <Card title="Training spec" description="Submitted at each run, with its dataset re-pinned to the latest version; the challenger is registered under the alias challenger.">
              <pre className="overflow-x-auto rounded-md bg-slate-50 p-3 text-xs">{JSON.stringify(p.spec, null, 2)}</pre>
            </Card>
          </div>
        </>
      ) : null}
    </>
  );
}
