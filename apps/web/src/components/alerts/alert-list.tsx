"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { Button } from "~/components/ui/button";
import { Alert, Badge, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

const severityTone = { info: "blue", warning: "amber", critical: "red" } as const;

/** The org's alerts, with a button to acknowledge one (it keeps firing until resolved). */
export function AlertList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery({ ...trpc.alert.list.queryOptions({}), refetchInterval: 15_000 });
  const acknowledge = useMutation(trpc.alert.acknowledge.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.alert.pathFilter()) }));
  const alerts = list.data ?? [];
  return (
    <Card title="Alerts">
      {list.error ? <Alert>{errorInfo(list.error).message}</Alert> : null}
      {acknowledge.error ? <Alert>{errorInfo(acknowledge.error).message}</Alert> : null}
      {list.isPending ? <EmptyState>Loading alerts…</EmptyState> : null}
      {list.isSuccess && alerts.length === 0 ? <EmptyState>No alerts. A canary that breaches a guard raises one here.</EmptyState> : null}
      {alerts.length ? (
        <Table head={["Severity", "Alert", "Source", "Status", "Fired", "Last seen", ""]} caption="Alerts">
          {alerts.map((a) => (
            <tr key={a.id}>
              <Td>
                <Badge tone={severityTone[a.severity]}>{a.severity}</Badge>
              </Td>
              <Td className="font-medium">{a.title}</Td>
              <Td className="text-slate-600">{a.source}</Td>
              <Td>
                <Badge tone={a.status === "firing" ? "red" : "green"}>{a.status}</Badge>
              </Td>
              <Td className="whitespace-nowrap text-slate-600">{a.firedAt.toLocaleString()}</Td>
              <Td className="whitespace-nowrap text-slate-600">{a.lastSeenAt.toLocaleString()}</Td>
              <Td className="text-right">
                {a.acknowledgedAt ? (
                  <span className="text-xs text-slate-500">
                    acknowledged{a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : ""}
                  </span>
                ) : (
                  <Button
                    variant="secondary"
                    aria-label={`Acknowledge ${a.title}`}
                    busy={acknowledge.isPending && acknowledge.variables?.id === a.id}
                    disabled={acknowledge.isPending}
                    onClick={() => acknowledge.mutate({ id: a.id })}
                  >
                    Acknowledge
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Card>
  );
}
