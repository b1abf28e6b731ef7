"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { Alert, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { formatBytes } from "../tracking/format";
import { datasetHref, formatCount, versionHref } from "./format";

export function DatasetList({ org }: { org: string }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.dataset.list.queryOptions());
  const datasets = list.data ?? [];
  return (
    <Card title="Datasets">
      {list.error ? <Alert>{errorInfo(list.error).message}</Alert> : null}
      {list.isPending ? <EmptyState>Loading datasets…</EmptyState> : null}
      {list.isSuccess && datasets.length === 0 ? <EmptyState>No datasets yet. Upload a CSV above, or POST one to <code className="text-xs">/api/v1/datasets/&lt;name&gt;/versions</code> with an API key.</EmptyState> : null}
      {datasets.length ? (
        <Table head={["Name", "Latest version", { label: "Rows", className: "text-right" }, { label: "Columns", className: "text-right" }, { label: "Size", className: "text-right" }, "Versions", "Updated"]} caption="Datasets">
          {datasets.map((d) => (
            <tr key={d.id} className="hover:bg-slate-50">
              <Td className="font-medium">
                <Link className="text-brand-600 hover:underline" href={datasetHref(org, d.name)}>
                  {d.name}
                </Link>
                {d.description ? <p className="max-w-sm truncate text-xs font-normal text-slate-500">{d.description}</p> : null}
              </Td>
              <Td>
                {d.latest ? (
                  <Link className="text-brand-600 hover:underline" href={versionHref(org, d.name, d.latest.version)} aria-label={`${d.name} version ${d.latest.version}`}>
                    v{d.latest.version}
                  </Link>
                ) : (
                  "—"
                )}
              </Td>
              <Td className="text-right tabular-nums">{formatCount(d.latest?.rowCount)}</Td>
              <Td className="text-right tabular-nums">{formatCount(d.latest?.columnCount)}</Td>
              <Td className="whitespace-nowrap text-right tabular-nums">{d.latest ? formatBytes(d.latest.size) : "—"}</Td>
              <Td className="tabular-nums text-slate-600">{d.versionCount}</Td>
              <Td className="whitespace-nowrap text-slate-600">{(d.latest?.createdAt ?? d.updatedAt).toLocaleString()}</Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Card>
  );
}
