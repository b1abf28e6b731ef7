"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { Alert, Badge, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { endpointHref } from "./links";
import { endpointStatusTone, ServedModel } from "./served-model";

/** The org's endpoints with what each serves now. */
export function EndpointList({ org }: { org: string }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.endpoint.list.queryOptions());
  const endpoints = list.data ?? [];
  return (
    <Card title="Endpoints">
      {list.error ? <Alert>{errorInfo(list.error).message}</Alert> : null}
      {list.isPending ? <EmptyState>Loading endpoints…</EmptyState> : null}
      {list.isSuccess && endpoints.length === 0 ? <EmptyState>No endpoints yet. Create one below, then deploy a registered model version to it.</EmptyState> : null}
      {endpoints.length ? (
        <Table head={["Name", "Status", "Auth", "Serving", "Revision", "Updated"]} caption="Endpoints">
          {endpoints.map((e) => (
            <tr key={e.id} className="hover:bg-slate-50">
              <Td className="font-medium">
                <Link className="text-brand-600 hover:underline" href={endpointHref(org, e.name)}>
                  {e.name}
                </Link>
                {e.description ? <p className="max-w-sm truncate text-xs font-normal text-slate-500">{e.description}</p> : null}
              </Td>
              <Td>
                <Badge tone={endpointStatusTone[e.status]}>{e.status}</Badge>
              </Td>
              <Td className="text-slate-600">{e.auth === "public" ? "public" : "API key"}</Td>
              <Td>
                <ServedModel org={org} endpoint={e} />
                {e.followAlias ? <p className="text-xs text-slate-500">follows @{e.followAlias}</p> : null}
              </Td>
              <Td className="tabular-nums text-slate-600">{e.revision === null ? "—" : `r${e.revision}`}</Td>
              <Td className="whitespace-nowrap text-slate-600">{e.updatedAt.toLocaleString()}</Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Card>
  );
}
