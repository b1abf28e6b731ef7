"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { BackLink } from "~/components/ui/back-link";
import { Alert, EmptyState, PageHeader } from "~/components/ui/card";
import { Fact, Facts } from "~/components/ui/facts";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { newJobHref, newSweepHref } from "../jobs/links";
import { formatBytes } from "../tracking/format";
import { ColumnProfiles } from "./column-profiles";
import { datasetHref, downloadHref, formatCount } from "./format";
import { PreviewTable } from "./preview-table";
import { SchemaTable } from "./schema-table";
import { VersionRuns } from "./version-runs";

/** One dataset version: its facts, schema, column profiles, first rows and the runs that used it. */
export function VersionView({ org, name, version }: { org: string; name: string; version: number | "latest" }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.dataset.version.queryOptions({ name, version }));
  const v = query.data;
  return (
    <>
      <BackLink href={datasetHref(org, name)}>{name}</BackLink>
      <PageHeader
        title={v ? `${v.name} v${v.version}` : `${name} ${version === "latest" ? "(latest)" : `v${version}`}`}
        description={v?.description ?? undefined}
        actions={
          v ? (
            <div className="flex flex-wrap items-center gap-2">
              <a href={downloadHref(org, v.name, v.version)} download className="rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50">
                Download CSV
              </a>
              <Link href={newSweepHref(org, { dataset: v.name, version: v.version })} className="rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50">
                Start a sweep
              </Link>
              <Link href={newJobHref(org, { dataset: v.name, version: v.version })} className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700">
                Train a model
              </Link>
            </div>
          ) : undefined
        }
      />
      {query.error ? <Alert>{errorInfo(query.error).message}</Alert> : null}
      {query.isPending ? <EmptyState>Loading version…</EmptyState> : null}
      {v ? (
        <>
          <Facts label="Version facts">
            <Fact label="Rows">{formatCount(v.rowCount)}</Fact>
            <Fact label="Columns">{formatCount(v.columnCount)}</Fact>
            <Fact label="Size">{formatBytes(v.size)}</Fact>
            <Fact label="File">{v.fileName ?? "—"}</Fact>
            <Fact label="Uploaded">{v.createdAt.toLocaleString()}</Fact>
            <Fact label="SHA-256">
              <code className="text-xs" title={v.sha256}>
                {v.sha256.slice(0, 16)}…
              </code>
            </Fact>
          </Facts>
          <div className="space-y-6">
            <SchemaTable version={v} />
            <ColumnProfiles columns={v.profile.columns} rows={v.profile.rowCount} />
            <PreviewTable name={v.name} version={v.version} />
            <VersionRuns org={org} name={v.name} version={v.version} />
          </div>
        </>
      ) : null}
    </>
  );
}
