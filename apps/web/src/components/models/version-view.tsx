"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";

import { BackLink } from "~/components/ui/back-link";
import { Button } from "~/components/ui/button";
import { Alert, Badge, Card, EmptyState, PageHeader } from "~/components/ui/card";
import { Fact, Facts } from "~/components/ui/facts";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { formatBytes, formatMetric } from "../tracking/format";
import { AliasBadges } from "./alias-badges";
import { LineageGraph } from "./lineage-graph";
import { modelHref } from "./links";
import { ModelCardEditor } from "./model-card-editor";
import { statusTone } from "./versions-table";

/** One model version: where it came from, its signature and metrics, its model card and lineage. */
export function ModelVersionView({ org, name, version }: { org: string; name: string; version: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.model.version.queryOptions({ name, version }));
  const lineage = useQuery(trpc.model.lineage.queryOptions({ name, version }));
  const archive = useMutation(trpc.model.updateVersion.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.model.pathFilter()) }));
  const v = query.data;
  const run = lineage.data?.nodes.find((n) => n.kind === "run" && n.run?.id === v?.sourceRunId)?.run;
  const dataset = lineage.data?.nodes.find((n) => n.kind === "dataset_version")?.dataset;
  const metrics = Object.entries(v?.metrics ?? {}).sort(([a], [b]) => a.localeCompare(b));

  return (
    <>
      <BackLink href={modelHref(org, name)}>{name}</BackLink>
      <PageHeader
        title={`${name} v${version}`}
        description={
          v ? (
            <span className="flex flex-wrap items-center gap-2">
              <Badge tone={statusTone[v.status]}>{v.status}</Badge>
              {v.archived ? <Badge>archived</Badge> : null}
              <AliasBadges aliases={v.aliases} />
              {v.description ? <span>{v.description}</span> : null}
            </span>
          ) : undefined
        }
        actions={
          v ? (
            <Button variant="secondary" busy={archive.isPending} onClick={() => archive.mutate({ name, version, archived: !v.archived })}>
              {v.archived ? "Unarchive" : "Archive"}
            </Button>
          ) : undefined
        }
      />
      {query.error ? <Alert>{errorInfo(query.error).message}</Alert> : null}
      {archive.error ? <Alert>{errorInfo(archive.error).message}</Alert> : null}
      {query.isPending ? <EmptyState>Loading version…</EmptyState> : null}
      {v ? (
        <>
          <Facts label="Version facts">
            <Fact label="Source run">
              {v.sourceRunId ? (
                <Link href={`/o/${org}/runs/${v.sourceRunId}`} className="text-brand-600 hover:underline">
                  {run ? run.name || v.sourceRunId.slice(0, 8) : v.sourceRunId.slice(0, 8)}
                </Link>
              ) : (
                "— (run purged)"
              )}
            </Fact>
            <Fact label="Dataset version">
              {dataset ? (
                <Link href={`/o/${org}/datasets/${dataset.name}/versions/${dataset.version}`} className="text-brand-600 hover:underline">
                  {dataset.name}@{dataset.version}
                </Link>
              ) : (
                "—"
              )}
            </Fact>
            <Fact label="Status">{v.status}</Fact>
            <Fact label="Registered">{v.createdAt.toLocaleString()}</Fact>
            <Fact label="Pipeline">
              <code className="text-xs" title={v.pipelineSha256}>
                {v.pipelineSha256.slice(0, 12)}…
              </code>{" "}
              <span className="text-slate-500">{formatBytes(v.pipelineSize)}</span>
            </Fact>
            <Fact label="URI">
              <code className="text-xs">
                models:/{name}/{version}
              </code>
            </Fact>
          </Facts>
          <div className="space-y-6">
            <LineageGraph org={org} name={name} version={version} />
            <div className="grid gap-6 lg:grid-cols-2">
              <Card title="Signature" description={v.signature ? [v.signature.task, v.signature.target ? `predicts ${v.signature.target}` : null].filter(Boolean).join(", ") || undefined : undefined}>
                {v.signature ? (
                  <Table head={["Input", "Type", "Required", "Categories"]} caption="Signature">
                    {v.signature.inputs.map((i) => (
                      <tr key={i.name}>
                        <Td className="font-mono text-xs">{i.name}</Td>
                        <Td>{i.type}</Td>
                        <Td>{i.required === undefined ? "—" : i.required ? "yes" : "no"}</Td>
                        <Td className="max-w-xs truncate text-xs text-slate-600">{i.categories?.join(", ") ?? ""}</Td>
                      </tr>
                    ))}
                  </Table>
                ) : (
                  <EmptyState>Registered without a signature.</EmptyState>
                )}
              </Card>
              <Card title="Metrics" description="The run's latest values when the version was registered.">
                {metrics.length ? (
                  <Table head={["Metric", { label: "Value", className: "text-right" }]} caption="Metrics">
                    {metrics.map(([key, value]) => (
                      <tr key={key}>
                        <Td className="font-mono text-xs">{key}</Td>
                        <Td className="text-right tabular-nums">{formatMetric(value)}</Td>
                      </tr>
                    ))}
                  </Table>
                ) : (
                  <EmptyState>No metrics.</EmptyState>
                )}
              </Card>
            </div>
            <ModelCardEditor version={v} />
          </div>
        </>
      ) : null}
    </>
  );
}
