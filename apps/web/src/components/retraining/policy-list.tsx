"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { endpointHref } from "~/components/endpoints/links";
import { Alert, Badge, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { policyHref } from "./links";
import { RunStatus } from "./run-status";

/** The org's retraining policies, each with its latest run. */
export function PolicyList({ org }: { org: string }) {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.retrain.list.queryOptions(), refetchInterval: 15_000 });
  const policies = list.data ?? [];
  return (
    <Card title="Policies">
      {list.error ? <Alert>{errorInfo(list.error).message}</Alert> : null}
      {list.isPending ? <EmptyState>Loading policies…</EmptyState> : null}
      {list.isSuccess && policies.length === 0 ? <EmptyState>No retraining policies yet.</EmptyState> : null}
      {policies.length ? (
        <Table head={["Policy", "Model", "Endpoint", "Triggers", "Gate", "Latest run"]} caption="Retraining policies">
          {policies.map((p) => {
            const latest = p.runs[0];
            return (
              <tr key={p.id} className="hover:bg-slate-50">
                <Td className="font-medium">
                  <Link className="text-brand-600 hover:underline" href={policyHref(org, p.id)}>
                    {p.name}
                  </Link>
                  {p.enabled ? null : <Badge>disabled</Badge>}
                </Td>
                <Td>
                  <Link className="text-brand-600 hover:underline" href={`/o/${org}/models/${encodeURIComponent(p.model)}`}>
                    {p.model}
                  </Link>
                </Td>
                <Td>
                  <Link className="text-brand-600 hover:underline" href={endpointHref(org, p.endpoint)}>
                    {p.endpoint}
                  </Link>
                </Td>
                <Td className="text-slate-600">{p.triggers.map((t) => t.replace("_", " ")).join(", ")}</Td>
                <Td className="text-slate-600">
                  {p.gate.metric} {p.gate.direction === "higher" ? "↑" : "↓"}
                  {p.gate.margin ? ` by ${p.gate.margin}` : ""}
                </Td>
                <Td>{latest ? <RunStatus status={latest.status} /> : <span className="text-slate-500">none</span>}</Td>
              </tr>
            );
          })}
        </Table>
      ) : null}
    </Card>
  );
}
