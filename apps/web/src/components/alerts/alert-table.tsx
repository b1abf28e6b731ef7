"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";

import type { AlertItem } from "@gantry/schema/abtest-contracts";

import { Button } from "~/components/ui/button";
import { Alert, Badge } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

const severityTone = { info: "blue", warning: "amber", critical: "red" } as const;

/** Alerts as a table, newest first, each with a button to acknowledge it (it keeps firing until resolved). */
export function AlertTable({ alerts, caption }: { alerts: AlertItem[]; caption: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const acknowledge = useMutation(trpc.alert.acknowledge.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.alert.pathFilter()) }));
  return (
    <>
      {acknowledge.error ? <Alert>{errorInfo(acknowledge.error).message}</Alert> : null}
      <Table head={["Severity", "Alert", "Source", "Status", "Fired", "Last seen", ""]} caption={caption}>
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
                <span className="text-xs text-slate-500">acknowledged{a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : ""}</span>
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
    </>
  );
}
