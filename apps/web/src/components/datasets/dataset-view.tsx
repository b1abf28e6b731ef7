"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";

import { BackLink } from "~/components/ui/back-link";
import { Alert, Card, EmptyState, PageHeader } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { newJobHref } from "../jobs/links";
import { formatBytes } from "../tracking/format";
import { downloadHref, formatCount, versionHref } from "./format";
import { UploadForm } from "./upload-form";

/** A dataset: its versions, newest first, and an upload for the next one. */
export function DatasetView({ org, name }: { org: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const dataset = useQuery(trpc.dataset.get.queryOptions({ name }));
  const remove = useMutation(
    trpc.dataset.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.dataset.pathFilter());
        router.push(`/o/${org}/datasets`);
      },
    }),
  );
  const latest = dataset.data?.latest;

  return (
    <>
      <BackLink href={`/o/${org}/datasets`}>Datasets</BackLink>
      <PageHeader
        title={name}
        description={dataset.data?.description ?? (dataset.data ? `${dataset.data.versionCount} ${dataset.data.versionCount === 1 ? "version" : "versions"}` : undefined)}
        actions={
          <div className="flex items-center gap-2">
            {latest ? (
              <Link href={newJobHref(org, { dataset: name, version: latest.version })} className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700">
                Train a model
              </Link>
            ) : null}
            {dataset.data ? (
              <Button
                variant="danger"
                busy={remove.isPending}
                onClick={() => confirm(`Delete ${name} and all its versions? Jobs and runs that used it keep their records.`) && remove.mutate({ name })}
              >
                Delete dataset
              </Button>
            ) : null}
          </div>
        }
      />
      {dataset.error ? <Alert>{errorInfo(dataset.error).message}</Alert> : null}
      {remove.error ? <Alert>{errorInfo(remove.error).message}</Alert> : null}
      <div className="space-y-6">
        <Card title="Versions" description="Immutable: a new upload adds a version; training jobs pin the one they read.">
          {dataset.isPending ? <EmptyState>Loading versions…</EmptyState> : null}
          {dataset.data?.versions.length === 0 ? <EmptyState>No versions yet.</EmptyState> : null}
          {dataset.data?.versions.length ? (
            <Table head={["Version", "File", { label: "Rows", className: "text-right" }, { label: "Columns", className: "text-right" }, { label: "Size", className: "text-right" }, "SHA-256", "Uploaded", "Description", { label: <span className="sr-only">Download</span> }]} caption="Versions">
              {dataset.data.versions.map((v) => (
                <tr key={v.id} className="hover:bg-slate-50">
                  <Td className="font-medium">
                    <Link className="text-brand-600 hover:underline" href={versionHref(org, name, v.version)}>
                      v{v.version}
                    </Link>
                  </Td>
                  <Td className="max-w-[14rem] truncate font-mono text-xs">{v.fileName ?? "—"}</Td>
                  <Td className="text-right tabular-nums">{formatCount(v.rowCount)}</Td>
                  <Td className="text-right tabular-nums">{formatCount(v.columnCount)}</Td>
                  <Td className="whitespace-nowrap text-right tabular-nums">{formatBytes(v.size)}</Td>
                  <Td>
                    <code className="text-xs text-slate-500" title={v.sha256}>
                      {v.sha256.slice(0, 12)}
                    </code>
                  </Td>
                  <Td className="whitespace-nowrap text-slate-600">{v.createdAt.toLocaleString()}</Td>
                  <Td className="max-w-xs truncate text-slate-600">{v.description ?? ""}</Td>
                  <Td className="text-right">
                    <a href={downloadHref(org, name, v.version)} download className="text-sm text-brand-600 hover:underline" aria-label={`Download v${v.version}`}>
                      Download
                    </a>
                  </Td>
                </tr>
              ))}
            </Table>
          ) : null}
        </Card>
        {dataset.data ? <UploadForm org={org} dataset={name} /> : null}
      </div>
    </>
  );
}
