"use client";

import { useInfiniteQuery } from "@tanstack/react-query";

import { Alert, Card, EmptyState } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

export function AuditLog() {
  const trpc = useTRPC();
  const pages = useInfiniteQuery(trpc.audit.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (last) => last.nextCursor ?? undefined }));
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card>
      {pages.error ? <Alert>{errorInfo(pages.error).message}</Alert> : null}
      {pages.isSuccess && items.length === 0 ? <EmptyState>Nothing has happened yet.</EmptyState> : null}
      {items.length ? (
        <Table head={["When", "Who", "Action", "Target", "Details"]} caption="Audit log">
          {items.map((e) => (
            <tr key={e.id}>
              <Td className="whitespace-nowrap text-slate-500">{e.createdAt.toLocaleString()}</Td>
              <Td>{e.actorLabel}</Td>
              <Td>
                <code className="text-xs">{e.action}</code>
              </Td>
              <Td className="text-slate-600">
                {e.targetType}
                {e.targetId ? <span className="ml-1 font-mono text-xs text-slate-400">{e.targetId.slice(0, 8)}</span> : null}
              </Td>
              <Td className="max-w-md truncate font-mono text-xs text-slate-500">{Object.keys(e.data).length ? JSON.stringify(e.data) : ""}</Td>
            </tr>
          ))}
        </Table>
      ) : null}
      {pages.hasNextPage ? (
        <div className="mt-4 text-center">
          <Button variant="secondary" busy={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
            Load more
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
