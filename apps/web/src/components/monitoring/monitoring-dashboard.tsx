"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";

import { endpointHref } from "~/components/endpoints/links";
import { TrafficCharts } from "~/components/endpoints/traffic-charts";
import { BackLink } from "~/components/ui/back-link";
import { Alert, EmptyState, PageHeader } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { DriftPanel } from "./drift-panel";
import { EndpointAlerts, EndpointAutomation, ServingNow } from "./loop-panels";
import { MonitorTable } from "./monitor-table";
import { NewMonitorForm } from "./new-monitor-form";
import { ServicePanel } from "./service-panel";

const REFRESH_MS = 15_000;

/**
 * One endpoint's monitoring: what it serves now, traffic, its monitors and their latest status,
 * drift over time, the alerts raised on it, what retraining did about them, and a form for a new monitor.
 */
export function MonitoringDashboard({ org, name }: { org: string; name: string }) {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.monitor.list.queryOptions({ endpoint: name }), refetchInterval: REFRESH_MS });
  const [picked, setPicked] = useState<string | null>(null);
  const monitors = list.data ?? [];
  const selected = monitors.find((m) => m.id === picked) ?? monitors[0] ?? null;

  return (
    <>
      <BackLink href={endpointHref(org, name)}>{name}</BackLink>
      <PageHeader
        title={`Monitoring: ${name}`}
        description={
          <>
            Traffic, latency and errors; data and prediction drift against the served version&apos;s training reference. Findings raise{" "}
            <Link className="text-brand-600 hover:underline" href={`/o/${org}/alerts`}>
              alerts
            </Link>
            .
          </>
        }
      />
      {list.error ? <Alert>{errorInfo(list.error).message}</Alert> : null}
      <ServingNow org={org} name={name} />
      <div className="space-y-6">
        <TrafficCharts name={name} />
        {list.isPending ? <EmptyState>Loading monitors…</EmptyState> : <MonitorTable monitors={monitors} selected={selected?.id ?? null} onSelect={setPicked} />}
        {selected ? selected.kind === "service" || selected.kind === "performance" ? <ServicePanel monitor={selected} /> : <DriftPanel key={selected.id} monitor={selected} /> : null}
        <EndpointAlerts org={org} name={name} />
        <EndpointAutomation org={org} name={name} />
        <NewMonitorForm endpoint={name} onCreated={setPicked} />
      </div>
    </>
  );
}
