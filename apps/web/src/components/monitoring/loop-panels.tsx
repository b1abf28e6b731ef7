"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { AlertTable } from "~/components/alerts/alert-table";
import { ServedModel } from "~/components/endpoints/served-model";
import { policyHref } from "~/components/retraining/links";
import { RunTimeline } from "~/components/retraining/run-timeline";
import { Alert, Card, EmptyState } from "~/components/ui/card";
import { Fact, Facts } from "~/components/ui/facts";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

/* The closed loop on an endpoint's dashboard: what it serves now, the alerts raised on it, and what retraining did about them. */

const REFRESH_MS = 15_000;

/** What the endpoint serves now: the version, its revision and traffic policy, and why it last changed. */
export function ServingNow({ org, name }: { org: string; name: string }) {
  const trpc = useTRPC();
  const endpoint = useQuery({ ...trpc.endpoint.get.queryOptions({ name }), refetchInterval: REFRESH_MS });
  if (endpoint.error) return <Alert>{errorInfo(endpoint.error).message}</Alert>;
  const e = endpoint.data;
  if (!e) return null;
  const latest = e.revisions[0];
  const policy = latest?.policy;
  return (
    <Facts label="Serving now">
      <Fact label="Serving">
        <span data-testid="monitoring-serving">
          <ServedModel org={org} endpoint={e} />
        </span>
      </Fact>
      <Fact label="Revision">{e.revision === null ? "—" : `r${e.revision}`}</Fact>
      <Fact label="Traffic">
        {policy ? (policy.kind === "single" ? "single version" : `${policy.kind}: ${policy.variants.map((v) => `v${v.version} ${v.weight}%`).join(", ")}`) : "—"}
      </Fact>
      <Fact label="Last change">{latest ? `${latest.createdAt.toLocaleString()}${latest.reason ? `: ${latest.reason}` : ""}` : "—"}</Fact>
    </Facts>
  );
}

/** The alerts raised on this endpoint (its monitors', its canaries'), newest first. */
export function EndpointAlerts({ org, name }: { org: string; name: string }) {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.alert.list.queryOptions({ endpoint: name }), refetchInterval: REFRESH_MS });
  const alerts = (list.data ?? []).slice(0, 10);
  return (
    <Card
      title="Alerts"
      description={
        <>
          Raised on {name} by its monitors and canaries.{" "}
          <Link className="text-brand-600 hover:underline" href={`/o/${org}/alerts`}>
            All alerts →
          </Link>
        </>
      }
    >
      {list.error ? <Alert>{errorInfo(list.error).message}</Alert> : null}
      {list.isSuccess && alerts.length === 0 ? <EmptyState>No alerts on {name}.</EmptyState> : null}
      {alerts.length ? <AlertTable alerts={alerts} caption={`Alerts on ${name}`} /> : null}
    </Card>
  );
}

/** Each retraining policy of this endpoint with its latest run's timeline: trigger, job, gate, canary, outcome. */
export function EndpointAutomation({ org, name }: { org: string; name: string }) {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.retrain.list.queryOptions(), refetchInterval: REFRESH_MS });
  const policies = (list.data ?? []).filter((p) => p.endpoint === name);
  if (list.error) return <Alert>{errorInfo(list.error).message}</Alert>;
  if (!list.isSuccess || policies.length === 0) return null;
  return (
    <>
      {policies.map((p) => (
        <Card
          key={p.id}
          title={`Automation: ${p.name}`}
          description={
            <>
              Retrains {p.model} on {p.triggers.map((t) => t.replace("_", " ")).join(", ")}; the latest run.{" "}
              <Link className="text-brand-600 hover:underline" href={policyHref(org, p.id)}>
                Policy and every run →
              </Link>
            </>
          }
        >
          <RunTimeline org={org} model={p.model} runs={p.runs.slice(0, 1)} />
        </Card>
      ))}
    </>
  );
}
