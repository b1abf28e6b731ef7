"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo } from "react";

import type { LineageNode } from "@gantry/schema/registry-contracts";

import { Alert, Card, EmptyState } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { versionHref } from "../datasets/format";
import { EChart } from "../charts/echart";
import { jobHref } from "../jobs/links";
import { modelVersionHref } from "./links";
import { lineageKindLabel, lineageLayout, lineageOption } from "./lineage-option";

/** The page a lineage node stands for. */
function nodeHref(org: string, n: LineageNode): string | null {
  if (n.dataset) return versionHref(org, n.dataset.name, n.dataset.version);
  if (n.run) return `/o/${org}/runs/${n.run.id}`;
  if (n.job) return jobHref(org, n.job.id);
  if (n.modelVersion) return modelVersionHref(org, n.modelVersion.name, n.modelVersion.version);
  return null;
}

function tallestLayer(nodes: LineageNode[]): number {
  const xs = new Map<number, number>();
  for (const p of lineageLayout(nodes).values()) xs.set(p.x, (xs.get(p.x) ?? 0) + 1);
  return Math.max(1, ...xs.values());
}

/** Dataset version → run → model version → endpoints, as a graph; every node links to its page. */
export function LineageGraph({ org, name, version }: { org: string; name: string; version: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const lineage = useQuery(trpc.model.lineage.queryOptions({ name, version }));
  const nodes = lineage.data?.nodes;
  const option = useMemo(() => (lineage.data ? lineageOption(lineage.data.nodes, lineage.data.edges) : null), [lineage.data]);
  const height = Math.max(220, Math.min(520, 90 + 70 * tallestLayer(nodes ?? [])));

  return (
    <Card title="Lineage" description="Where this version came from and what else was trained on the same data. Endpoints and A/B tests appear here once they serve it.">
      {lineage.error ? <Alert>{errorInfo(lineage.error).message}</Alert> : null}
      {lineage.isPending ? <EmptyState>Loading lineage…</EmptyState> : null}
      {option && nodes ? (
        <>
          <EChart
            option={option}
            label={`Lineage of ${name} v${version}`}
            height={height}
            onItemClick={(data) => {
              const node = nodes.find((n) => n.id === (data as { name?: string } | undefined)?.name);
              const href = node ? nodeHref(org, node) : null;
              if (href) router.push(href);
            }}
          />
          <ul aria-label="Lineage nodes" className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {nodes.map((n) => {
              const href = nodeHref(org, n);
              return (
                <li key={n.id}>
                  <span className="text-xs text-slate-500">{lineageKindLabel[n.kind]}:</span>{" "}
                  {href && !n.focus ? (
                    <Link href={href} className="text-brand-600 hover:underline">
                      {n.label}
                    </Link>
                  ) : (
                    <span className="font-medium">{n.label}</span>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
    </Card>
  );
}
