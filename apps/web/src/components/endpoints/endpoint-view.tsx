"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { EndpointAbTestCard } from "~/components/abtests/endpoint-abtest-card";
import { MonitoringLink } from "~/components/monitoring/monitoring-link";
import { BackLink } from "~/components/ui/back-link";
import { Button } from "~/components/ui/button";
import { Alert, Badge, EmptyState, PageHeader } from "~/components/ui/card";
import { Fact, Facts } from "~/components/ui/facts";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { DeployForm } from "./deploy-form";
import { endpointsHref } from "./links";
import { RevisionsTable } from "./revisions-table";
import { endpointStatusTone, ServedModel } from "./served-model";
import { TrafficCharts } from "./traffic-charts";
import { TryItConsole } from "./try-it-console";

/** One endpoint: what it serves, deploys and rollbacks, live traffic, and a console to call it. */
export function EndpointView({ org, name }: { org: string; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.endpoint.get.queryOptions({ name }));
  const refresh = () => queryClient.invalidateQueries(trpc.endpoint.pathFilter());
  const pause = useMutation(trpc.endpoint.pause.mutationOptions({ onSuccess: refresh }));
  const resume = useMutation(trpc.endpoint.resume.mutationOptions({ onSuccess: refresh }));
  const e = query.data;
  const toggle = e?.status === "paused" ? resume : pause;

  return (
    <>
      <BackLink href={endpointsHref(org)}>Endpoints</BackLink>
      <PageHeader
        title={name}
        description={
          e ? (
            <span className="flex flex-wrap items-center gap-2">
              <span data-testid="endpoint-status">
                <Badge tone={endpointStatusTone[e.status]}>{e.status}</Badge>
              </span>
              <Badge>{e.auth === "public" ? "public" : "API key"}</Badge>
              {e.description ? <span>{e.description}</span> : null}
            </span>
          ) : undefined
        }
        actions={
          e ? (
            <Button
              variant="secondary"
              busy={toggle.isPending}
              onClick={() =>
                e.status === "paused" ? resume.mutate({ name }) : confirm(`Pause ${name}? It answers 503 until resumed.`) && pause.mutate({ name })
              }
            >
              {e.status === "paused" ? "Resume" : "Pause"}
            </Button>
          ) : undefined
        }
      />
      {query.error ? <Alert>{errorInfo(query.error).message}</Alert> : null}
      {pause.error ?? resume.error ? <Alert>{errorInfo(pause.error ?? resume.error).message}</Alert> : null}
      {query.isPending ? <EmptyState>Loading endpoint…</EmptyState> : null}
      {e ? (
        <>
          <Facts label="Endpoint facts">
            <Fact label="Serving">
              <span data-testid="endpoint-serving">
                <ServedModel org={org} endpoint={e} />
              </span>
            </Fact>
            <Fact label="Revision">{e.revision === null ? "—" : `r${e.revision}`}</Fact>
            <Fact label="Follows alias">{e.followAlias ? `@${e.followAlias}` : "—"}</Fact>
            <Fact label="Updated">{e.updatedAt.toLocaleString()}</Fact>
          </Facts>
          <div className="space-y-6">
            <EndpointAbTestCard org={org} endpoint={name} canStart={e.version !== null} />
            <MonitoringLink org={org} endpoint={name} />
            <TrafficCharts name={name} />
            <TryItConsole endpoint={e} />
            <DeployForm endpoint={e} />
            <RevisionsTable endpoint={e} />
          </div>
        </>
      ) : null}
    </>
  );
}
