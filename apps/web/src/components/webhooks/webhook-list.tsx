"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { ZWebhook } from "@gantry/schema/monitoring-contracts";
import type { z } from "zod";

import { Button } from "~/components/ui/button";
import { Alert, Badge, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

type Webhook = z.output<typeof ZWebhook>;

const deliveryTone = { pending: "amber", succeeded: "green", failed: "red" } as const;

/** A webhook's latest deliveries: status, attempts, and what the receiver last answered. */
function Deliveries({ webhook }: { webhook: Webhook }) {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.webhook.deliveries.queryOptions({ id: webhook.id }), refetchInterval: 10_000 });
  const deliveries = (list.data ?? []).slice(0, 20);
  if (list.error) return <Alert>{errorInfo(list.error).message}</Alert>;
  if (list.isPending) return <p className="text-sm text-slate-500">Loading deliveries…</p>;
  if (!deliveries.length) return <p className="text-sm text-slate-500">No deliveries yet: one is sent when an alert fires or resolves.</p>;
  return (
    <Table head={["Event", "Status", "Attempts", "Last answer", "Created", "Delivered / next attempt"]} caption={`Deliveries of ${webhook.name}`}>
      {deliveries.map((d) => (
        <tr key={d.id}>
          <Td className="font-mono text-xs">{d.event}</Td>
          <Td>
            <Badge tone={deliveryTone[d.status]}>{d.status}</Badge>
          </Td>
          <Td className="tabular-nums text-slate-600">{d.attempts}</Td>
          <Td className="max-w-sm text-slate-600">
            {d.lastStatusCode !== null ? <span className="tabular-nums">HTTP {d.lastStatusCode}</span> : null}
            {d.lastError ? <p className="truncate text-xs text-red-700" title={d.lastError}>{d.lastError}</p> : null}
            {d.lastStatusCode === null && !d.lastError ? "—" : null}
          </Td>
          <Td className="whitespace-nowrap text-slate-600">{d.createdAt.toLocaleString()}</Td>
          <Td className="whitespace-nowrap text-slate-600">{d.deliveredAt ? d.deliveredAt.toLocaleString() : d.status === "pending" ? `next ${d.nextAttemptAt.toLocaleTimeString()}` : "—"}</Td>
        </tr>
      ))}
    </Table>
  );
}

/** The org's webhooks, each with its recent deliveries; admins may delete them. */
export function WebhookList({ admin }: { admin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.webhook.list.queryOptions());
  const remove = useMutation(trpc.webhook.delete.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.webhook.pathFilter()) }));
  const webhooks = list.data ?? [];
  return (
    <div className="space-y-6">
      {list.error ? <Alert>{errorInfo(list.error).message}</Alert> : null}
      {remove.error ? <Alert>{errorInfo(remove.error).message}</Alert> : null}
      {list.isPending ? <EmptyState>Loading webhooks…</EmptyState> : null}
      {list.isSuccess && webhooks.length === 0 ? (
        <Card title="Webhooks">
          <EmptyState>No webhooks. Alerts show in the portal only.</EmptyState>
        </Card>
      ) : null}
      {webhooks.map((w) => (
        <Card
          key={w.id}
          title={w.name}
          description={
            <span className="flex flex-wrap items-center gap-2">
              <span className="font-mono text-xs">{w.url}</span>
              {w.events.map((ev) => (
                <Badge key={ev}>{ev}</Badge>
              ))}
              {w.enabled ? null : <Badge tone="amber">disabled</Badge>}
            </span>
          }
          actions={
            admin ? (
              <Button variant="danger" busy={remove.isPending && remove.variables?.id === w.id} onClick={() => confirm(`Delete the webhook ${w.name}?`) && remove.mutate({ id: w.id })}>
                Delete
              </Button>
            ) : undefined
          }
        >
          <Deliveries webhook={w} />
        </Card>
      ))}
    </div>
  );
}
