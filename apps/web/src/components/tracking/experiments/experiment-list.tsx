"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";

import { Alert, Badge, Card, EmptyState } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { formatTime, isSystemTag } from "../format";
import { KeysetPager, useKeysetPages } from "../keyset-pager";

const PAGE_SIZE = 50;

export function ExperimentList({ org }: { org: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [showDeleted, setShowDeleted] = useState(false);
  const viewType = showDeleted ? "ALL" : "ACTIVE_ONLY";
  const pages = useKeysetPages(viewType);
  const list = useQuery(trpc.experiment.list.queryOptions({ viewType, maxResults: PAGE_SIZE, pageToken: pages.pageToken, orderBy: ["last_update_time DESC"] }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.experiment.list.queryKey() });
  const remove = useMutation(trpc.experiment.delete.mutationOptions({ onSuccess: refresh }));
  const restore = useMutation(trpc.experiment.restore.mutationOptions({ onSuccess: refresh }));
  const changeError = remove.error ?? restore.error;
  const experiments = list.data?.experiments ?? [];

  return (
    <Card
      title="Experiments"
      actions={
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={showDeleted} onChange={(e) => setShowDeleted(e.target.checked)} />
          Show deleted
        </label>
      }
    >
      {list.error ? <Alert>{errorInfo(list.error).message}</Alert> : null}
      {changeError ? <Alert>{errorInfo(changeError).message}</Alert> : null}
      {list.isPending ? <EmptyState>Loading experiments…</EmptyState> : null}
      {list.isSuccess && experiments.length === 0 ? <EmptyState>No experiments yet. Create one above, or log a run from any MLflow client.</EmptyState> : null}
      {experiments.length ? (
        <Table head={["Name", "Runs", "Created", "Last update", "Tags", { label: <span className="sr-only">Actions</span> }]} caption="Experiments">
          {experiments.map((x) => {
            const deleted = x.lifecycleStage === "deleted";
            const tags = x.tags.filter((t) => !isSystemTag(t.key));
            return (
              <tr key={x.id} className={deleted ? "bg-slate-50 text-slate-500" : undefined}>
                <Td className="font-medium">
                  <Link className="text-brand-600 hover:underline" href={`/o/${org}/experiments/${x.id}`}>
                    {x.name}
                  </Link>
                  {deleted ? (
                    <span className="ml-2">
                      <Badge tone="red">deleted</Badge>
                    </span>
                  ) : null}
                  {x.description ? <p className="max-w-sm truncate text-xs font-normal text-slate-500">{x.description}</p> : null}
                </Td>
                <Td>
                  <Link className="text-brand-600 hover:underline" href={`/o/${org}/experiments/${x.id}`} aria-label={`Runs of ${x.name}`}>
                    Runs →
                  </Link>
                </Td>
                <Td className="whitespace-nowrap text-slate-600">{formatTime(x.creationTime)}</Td>
                <Td className="whitespace-nowrap text-slate-600">{formatTime(x.lastUpdateTime)}</Td>
                <Td>
                  <div className="flex max-w-xs flex-wrap gap-1">
                    {tags.map((t) => (
                      <Badge key={t.key}>
                        {t.key}={t.value}
                      </Badge>
                    ))}
                  </div>
                </Td>
                <Td className="text-right">
                  {deleted ? (
                    <Button variant="secondary" busy={restore.isPending && restore.variables?.experimentId === x.id} onClick={() => restore.mutate({ experimentId: x.id })} aria-label={`Restore ${x.name}`}>
                      Restore
                    </Button>
                  ) : (
                    <Button
                      variant="danger"
                      busy={remove.isPending && remove.variables?.experimentId === x.id}
                      onClick={() => confirm(`Delete ${x.name}? It can be restored from "Show deleted".`) && remove.mutate({ experimentId: x.id })}
                      aria-label={`Delete ${x.name}`}
                    >
                      Delete
                    </Button>
                  )}
                </Td>
              </tr>
            );
          })}
        </Table>
      ) : null}
      <KeysetPager label="Experiment pages" page={pages.page} nextPageToken={list.data?.nextPageToken} onNext={pages.next} onPrevious={pages.previous} busy={list.isFetching} />
    </Card>
  );
}
