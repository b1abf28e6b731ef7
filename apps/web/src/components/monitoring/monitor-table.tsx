"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";

import type { Monitor } from "@gantry/schema/monitoring-contracts";

import { Button } from "~/components/ui/button";
import { Alert, Badge, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { MonitorStatus, monitorSummary } from "./monitor-status";

const kindLabel = { data_drift: "data drift", prediction_drift: "prediction drift", performance: "performance", service: "service" } as const;

/** The endpoint's monitors with their latest status; one is selected for the charts below, any can run now. */
export function MonitorTable({ monitors, selected, onSelect }: { monitors: Monitor[]; selected: string | null; onSelect: (id: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useMutation(
    trpc.monitor.run.mutationOptions({
      onSuccess: async (m) => {
        onSelect(m.id);
        await Promise.all([queryClient.invalidateQueries(trpc.monitor.pathFilter()), queryClient.invalidateQueries(trpc.alert.pathFilter())]);
      },
    }),
  );
  return (
    <Card title="Monitors" description="Each runs on its schedule (the worker checks every minute); Run now evaluates its window at once.">
      {run.error ? <Alert>{errorInfo(run.error).message}</Alert> : null}
      {monitors.length === 0 ? <EmptyState>No monitors on this endpoint yet. Create one below.</EmptyState> : null}
      {monitors.length ? (
        <Table head={["Monitor", "Kind", "Latest", "Rows", "Last evaluated", ""]} caption="Monitors">
          {monitors.map((m) => {
            const latest = m.recent[0];
            return (
              <tr key={m.id} className={m.id === selected ? "bg-brand-50" : "hover:bg-slate-50"}>
                <Td className="font-medium">
                  <button type="button" className="text-left text-brand-600 hover:underline" aria-pressed={m.id === selected} onClick={() => onSelect(m.id)}>
                    {m.name}
                  </button>
                  <p className="text-xs font-normal text-slate-500">{monitorSummary(m)}</p>
                </Td>
                <Td className="text-slate-600">
                  {kindLabel[m.kind]}
                  {m.config.baseline === "trailing" ? <span className="block text-xs text-slate-500">vs the previous {m.config.baselineMinutes} min</span> : null} {m.enabled ? null : <Badge>disabled</Badge>}
                </Td>
                <Td>
                  <span data-testid={`monitor-status-${m.name}`}>
                    <MonitorStatus monitor={m} />
                  </span>
                  {latest?.status === "drift" ? (
                    <p className="text-xs text-red-700">
                      {latest.findings
                        .filter((f) => f.flagged)
                        .map((f) => f.name)
                        .join(", ")}
                    </p>
                  ) : null}
                </Td>
                <Td className="tabular-nums text-slate-600">{latest ? latest.rows : "—"}</Td>
                <Td className="whitespace-nowrap text-slate-600">{m.lastEvaluatedAt ? m.lastEvaluatedAt.toLocaleString() : "never"}</Td>
                <Td className="text-right">
                  <Button
                    variant="secondary"
                    className="whitespace-nowrap"
                    aria-label={`Run ${m.name} now`}
                    busy={run.isPending && run.variables?.id === m.id}
                    disabled={run.isPending}
                    onClick={() => run.mutate({ id: m.id })}
                  >
                    Run now
                  </Button>
                </Td>
              </tr>
            );
          })}
        </Table>
      ) : null}
    </Card>
  );
}
