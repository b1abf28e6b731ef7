"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";

import type { Run } from "@gantry/schema/tracking-contracts";

import { Alert, Card, EmptyState, PageHeader } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { KeysetPager, useKeysetPages } from "../keyset-pager";
import { ColumnPicker } from "./column-picker";
import { FilterBox } from "./filter-box";
import type { ValueColumn } from "./run-columns";
import { nextSort, orderByOf } from "./run-columns";
import { RunsTable } from "./runs-table";
import { useRunsUrlState } from "./use-runs-url";

const PAGE_SIZE = 50;
const MAX_COMPARED = 20;

const defaultColumns = (keys: { params: string[]; metrics: string[] } | undefined): ValueColumn[] => [
  ...(keys?.metrics.slice(0, 4).map((key) => ({ kind: "metrics" as const, key })) ?? []),
  ...(keys?.params.slice(0, 4).map((key) => ({ kind: "params" as const, key })) ?? []),
];

export function RunsView({ org, experimentId }: { org: string; experimentId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const view = useRunsUrlState();
  const experiment = useQuery(trpc.experiment.get.queryOptions({ experimentId }));
  const keys = useQuery(trpc.experiment.keys.queryOptions({ experimentId }));
  const columns = view.columns ?? defaultColumns(keys.data);
  const orderBy = orderByOf(view.sort);
  const pages = useKeysetPages(JSON.stringify([view.filter, orderBy]));
  const search = useQuery(
    trpc.run.search.queryOptions(
      { experimentIds: [experimentId], filter: view.filter || undefined, orderBy: [orderBy], maxResults: PAGE_SIZE, pageToken: pages.pageToken },
      { placeholderData: keepPreviousData },
    ),
  );
  const [selected, setSelected] = useState<ReadonlyMap<string, string>>(new Map());
  const failure = search.error ? errorInfo(search.error) : null;
  const runs = search.data?.runs ?? [];

  const toggle = (list: Run[], on: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      for (const r of list) {
        if (on) next.set(r.info.id, r.info.name);
        else next.delete(r.info.id);
      }
      return next;
    });
  const compare = () => router.push(`/o/${org}/experiments/${experimentId}/compare?runs=${[...selected.keys()].join(",")}`);

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/o/${org}/experiments`} className="text-brand-600 hover:underline">
          ← Experiments
        </Link>
      </p>
      <PageHeader
        title={experiment.data?.name ?? "Experiment"}
        description={experiment.data?.description ?? `Experiment ${experimentId}`}
        actions={
          <div className="flex items-center gap-2">
            {selected.size ? (
              <Button variant="ghost" onClick={() => setSelected(new Map())}>
                Clear selection
              </Button>
            ) : null}
            <Button onClick={compare} disabled={selected.size < 2 || selected.size > MAX_COMPARED} title={selected.size > MAX_COMPARED ? `Compare at most ${MAX_COMPARED} runs` : "Select two or more runs"}>
              Compare{selected.size ? ` ${selected.size} runs` : ""}
            </Button>
          </div>
        }
      />
      {experiment.error ? <Alert>{errorInfo(experiment.error).message}</Alert> : null}
      <Card>
        <div className="mb-4 flex flex-col gap-3 lg:flex-row lg:items-start">
          <div className="min-w-0 flex-1">
            <FilterBox applied={view.filter} error={failure?.field === "filter" ? failure.message : null} onApply={view.setFilter} />
          </div>
          <div className="lg:pt-6">
            <ColumnPicker keys={keys.data ?? { params: [], metrics: [] }} columns={columns} onChange={view.setColumns} />
          </div>
        </div>
        {failure && failure.field !== "filter" ? <Alert>{failure.message}</Alert> : null}
        {search.isPending ? <EmptyState>Loading runs…</EmptyState> : null}
        {search.isSuccess && runs.length === 0 ? <EmptyState>{view.filter ? "No runs match this filter." : "No runs yet. Log one with the Gantry client or any MLflow client."}</EmptyState> : null}
        {runs.length ? (
          <div aria-busy={search.isPlaceholderData || undefined} className={search.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}>
            <RunsTable
              runs={runs}
              org={org}
              columns={columns}
              caption="Runs"
              sort={view.sort}
              onSort={(column) => view.setSort(nextSort(view.sort, column))}
              selection={{ selected: new Set(selected.keys()), onToggle: toggle }}
            />
          </div>
        ) : null}
        <KeysetPager label="Run pages" page={pages.page} nextPageToken={search.data?.nextPageToken} onNext={pages.next} onPrevious={pages.previous} busy={search.isFetching} />
      </Card>
    </>
  );
}
