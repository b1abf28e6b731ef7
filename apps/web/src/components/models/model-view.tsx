"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";

import { BackLink } from "~/components/ui/back-link";
import { Alert, Card, EmptyState, PageHeader } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { AliasPanel } from "./alias-panel";
import { compareVersionsHref, modelsHref } from "./links";
import { ModelDetails } from "./model-details";
import { VersionsTable } from "./versions-table";

/** A registered model: its versions with key metrics, aliases and their history, description and tags. */
export function ModelView({ org, name }: { org: string; name: string }) {
  const trpc = useTRPC();
  const model = useQuery(trpc.model.get.queryOptions({ name }));
  const versions = useQuery(trpc.model.versions.queryOptions({ name }));
  const [selected, setSelected] = useState<number[]>([]);
  const toggle = (version: number, on: boolean) => setSelected((s) => (on ? [...s, version].sort((a, b) => a - b) : s.filter((v) => v !== version)));
  const m = model.data;

  return (
    <>
      <BackLink href={modelsHref(org)}>Models</BackLink>
      <PageHeader
        title={name}
        description={m ? `${m.versionCount} ${m.versionCount === 1 ? "version" : "versions"}` : undefined}
        actions={
          selected.length >= 2 ? (
            <Link href={compareVersionsHref(org, name, selected)} className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700">
              Compare {selected.length} versions
            </Link>
          ) : (
            <span className="text-sm text-slate-500">Tick two or more versions to compare them.</span>
          )
        }
      />
      {model.error ? <Alert>{errorInfo(model.error).message}</Alert> : null}
      {model.isPending ? <EmptyState>Loading model…</EmptyState> : null}
      {m ? (
        <div className="space-y-6">
          <Card title="Versions" description="Metrics are each version's snapshot of its run when it was registered.">
            {versions.error ? <Alert>{errorInfo(versions.error).message}</Alert> : null}
            {versions.data?.length === 0 ? <EmptyState>No versions yet.</EmptyState> : null}
            {versions.data?.length ? <VersionsTable org={org} versions={versions.data} selected={selected} onToggle={toggle} /> : null}
          </Card>
          <AliasPanel model={m} versions={versions.data ?? []} />
          <ModelDetails model={m} />
        </div>
      ) : null}
    </>
  );
}
