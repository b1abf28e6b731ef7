"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { Alert, Badge, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { modelHref, modelVersionHref } from "./links";

export function ModelList({ org }: { org: string }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.model.list.queryOptions());
  const models = list.data ?? [];
  return (
    <Card title="Registered models">
      {list.error ? <Alert>{errorInfo(list.error).message}</Alert> : null}
      {list.isPending ? <EmptyState>Loading models…</EmptyState> : null}
      {list.isSuccess && models.length === 0 ? (
        <EmptyState>
          No models yet. Register one from a finished training run, or train with <code className="text-xs">register: {"{ model: NAME }"}</code>.
        </EmptyState>
      ) : null}
      {models.length ? (
        <Table head={["Name", "Latest version", "Aliases", "Versions", "Updated"]} caption="Models">
          {models.map((m) => (
            <tr key={m.id} className="hover:bg-slate-50">
              <Td className="font-medium">
                <Link className="text-brand-600 hover:underline" href={modelHref(org, m.name)}>
                  {m.name}
                </Link>
                {m.description ? <p className="max-w-sm truncate text-xs font-normal text-slate-500">{m.description}</p> : null}
              </Td>
              <Td>
                {m.latestVersion ? (
                  <Link className="text-brand-600 hover:underline" href={modelVersionHref(org, m.name, m.latestVersion)} aria-label={`${m.name} version ${m.latestVersion}`}>
                    v{m.latestVersion}
                  </Link>
                ) : (
                  "—"
                )}
              </Td>
              <Td>
                <span className="inline-flex flex-wrap gap-1">
                  {m.aliases.map((a) => (
                    <Badge key={a.alias} tone="blue">
                      @{a.alias} → v{a.version}
                    </Badge>
                  ))}
                </span>
              </Td>
              <Td className="tabular-nums text-slate-600">{m.versionCount}</Td>
              <Td className="whitespace-nowrap text-slate-600">{m.updatedAt.toLocaleString()}</Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Card>
  );
}
