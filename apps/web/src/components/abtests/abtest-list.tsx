"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { Alert, Badge, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { endpointHref, endpointsHref } from "../endpoints/links";
import { abTestHref } from "./links";
import { abTestStatusLabel, abTestStatusTone } from "./status";

/** The org's A/B tests, newest first. */
export function AbTestList({ org }: { org: string }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.abtest.list.queryOptions({}));
  const tests = list.data ?? [];
  return (
    <Card title="A/B tests">
      {list.error ? <Alert>{errorInfo(list.error).message}</Alert> : null}
      {list.isPending ? <EmptyState>Loading A/B tests…</EmptyState> : null}
      {list.isSuccess && tests.length === 0 ? (
        <EmptyState>
          No A/B tests yet. Open an{" "}
          <Link className="text-brand-600 hover:underline" href={endpointsHref(org)}>
            endpoint
          </Link>{" "}
          and start one.
        </EmptyState>
      ) : null}
      {tests.length ? (
        <Table head={["Name", "Endpoint", "Kind", "Status", "Variants", "Started"]} caption="A/B tests">
          {tests.map((t) => (
            <tr key={t.id} className="hover:bg-slate-50">
              <Td className="font-medium">
                <Link className="text-brand-600 hover:underline" href={abTestHref(org, t.id)}>
                  {t.name}
                </Link>
              </Td>
              <Td>
                <Link className="text-brand-600 hover:underline" href={endpointHref(org, t.endpoint)}>
                  {t.endpoint}
                </Link>
              </Td>
              <Td className="text-slate-600">{t.kind}</Td>
              <Td>
                <Badge tone={abTestStatusTone[t.status]}>{abTestStatusLabel(t.status)}</Badge>
              </Td>
              <Td className="text-slate-600">{t.variants.map((v) => `${v.model} v${v.version}`).join(" vs ")}</Td>
              <Td className="whitespace-nowrap text-slate-600">{t.startedAt.toLocaleString()}</Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Card>
  );
}
