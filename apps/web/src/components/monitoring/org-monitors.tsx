"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { endpointHref } from "~/components/endpoints/links";
import { Alert, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { endpointMonitoringHref } from "./links";
import { MonitorStatus, monitorSummary } from "./monitor-status";

/** Every monitor of the org, by endpoint, with its latest status; each endpoint's dashboard is a click away. */
export function OrgMonitors({ org }: { org: string }) {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.monitor.list.queryOptions({}), refetchInterval: 15_000 });
  const endpoints = useQuery(trpc.endpoint.list.queryOptions());
  const monitors = list.data ?? [];
  const unwatched = (endpoints.data ?? []).filter((e) => !monitors.some((m) => m.endpoint === e.name));
  return (
    <div className="space-y-6">
      <Card title="Monitors">
        {list.error ? <Alert>{errorInfo(list.error).message}</Alert> : null}
        {list.isPending ? <EmptyState>Loading monitors…</EmptyState> : null}
        {list.isSuccess && monitors.length === 0 ? <EmptyState>No monitors yet. Open an endpoint&apos;s monitoring dashboard to create one.</EmptyState> : null}
        {monitors.length ? (
          <Table head={["Endpoint", "Monitor", "Kind", "Latest", "Last evaluated"]} caption="Monitors">
            {monitors.map((m) => (
              <tr key={m.id}>
                <Td>
                  <Link className="text-brand-600 hover:underline" href={endpointMonitoringHref(org, m.endpoint)}>
                    {m.endpoint}
                  </Link>
                </Td>
                <Td className="font-medium">
                  {m.name}
                  <p className="text-xs font-normal text-slate-500">{monitorSummary(m)}</p>
                </Td>
                <Td className="text-slate-600">{m.kind.replace("_", " ")}</Td>
                <Td>
                  <MonitorStatus monitor={m} />
                </Td>
                <Td className="whitespace-nowrap text-slate-600">{m.lastEvaluatedAt ? m.lastEvaluatedAt.toLocaleString() : "never"}</Td>
              </tr>
            ))}
          </Table>
        ) : null}
      </Card>
      {unwatched.length ? (
        <Card title="Endpoints without monitors">
          <ul className="flex flex-wrap gap-3 text-sm">
            {unwatched.map((e) => (
              <li key={e.id}>
                <Link className="text-brand-600 hover:underline" href={endpointMonitoringHref(org, e.name)}>
                  {e.name}
                </Link>{" "}
                <Link className="text-xs text-slate-500 hover:underline" href={endpointHref(org, e.name)}>
                  (endpoint)
                </Link>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}
