"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";

import type { SignatureDiff } from "@gantry/schema/registry-contracts";

import { BackLink } from "~/components/ui/back-link";
import { Alert, Card, EmptyState, PageHeader } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { formatMetric } from "../tracking/format";
import { AliasBadges } from "./alias-badges";
import { compareVersionsHref, modelHref, modelVersionHref } from "./links";

function DiffList({ diff }: { diff: SignatureDiff }) {
  if (!diff.added.length && !diff.removed.length && !diff.changed.length) return <span className="text-slate-500">same inputs</span>;
  return (
    <ul className="space-y-0.5 font-mono text-xs">
      {diff.added.map((n) => (
        <li key={`+${n}`} className="text-emerald-700">
          + {n}
        </li>
      ))}
      {diff.removed.map((n) => (
        <li key={`-${n}`} className="text-red-700">
          − {n}
        </li>
      ))}
      {diff.changed.map((c) => (
        <li key={`~${c.name}`} className="text-amber-700">
          ~ {c.name}: {c.from} → {c.to}
        </li>
      ))}
    </ul>
  );
}

/** Two or more versions of a model: metrics side by side and each signature against the first's. */
export function CompareVersionsView({ org, name, versions }: { org: string; name: string; versions: number[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const all = useQuery(trpc.model.versions.queryOptions({ name }));
  const comparison = useQuery({ ...trpc.model.compare.queryOptions({ name, versions }), enabled: versions.length > 0 });
  const c = comparison.data;
  const toggle = (version: number, on: boolean) => {
    const next = on ? [...versions, version].sort((a, b) => a - b) : versions.filter((v) => v !== version);
    router.replace(compareVersionsHref(org, name, next));
  };

  return (
    <>
      <BackLink href={modelHref(org, name)}>{name}</BackLink>
      <PageHeader title={`Compare ${name} versions`} description="Metrics are each version's snapshot; signatures are diffed against the first version picked." />
      <div className="space-y-6">
        <Card title="Versions">
          {all.error ? <Alert>{errorInfo(all.error).message}</Alert> : null}
          <div role="group" aria-label="Versions to compare" className="flex flex-wrap gap-x-4 gap-y-2">
            {all.data?.map((v) => (
              <label key={v.id} className="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" checked={versions.includes(v.version)} onChange={(e) => toggle(v.version, e.target.checked)} />v{v.version}
                <AliasBadges aliases={v.aliases} />
              </label>
            ))}
          </div>
        </Card>
        {versions.length < 2 ? <EmptyState>Pick two or more versions.</EmptyState> : null}
        {comparison.error ? <Alert>{errorInfo(comparison.error).message}</Alert> : null}
        {c && versions.length >= 2 ? (
          <>
            <Card title="Metrics">
              {c.metrics.length ? (
                <Table
                  head={[
                    "Metric",
                    ...c.versions.map((v) => ({
                      label: (
                        <Link href={modelVersionHref(org, name, v.version)} className="text-brand-600 normal-case hover:underline">
                          v{v.version}
                        </Link>
                      ),
                      className: "text-right",
                    })),
                  ]}
                  caption="Metrics side by side"
                >
                  {c.metrics.map((m) => (
                    <tr key={m.key}>
                      <Td className="font-mono text-xs">{m.key}</Td>
                      {m.values.map((value, i) => (
                        <Td key={i} className="text-right tabular-nums">
                          {formatMetric(value ?? undefined)}
                        </Td>
                      ))}
                    </tr>
                  ))}
                </Table>
              ) : (
                <EmptyState>None of these versions has metrics.</EmptyState>
              )}
            </Card>
            <Card title="Signature" description={`Each version's inputs against v${c.versions[0]?.version ?? ""}'s.`}>
              <Table head={["Version", "Against the first"]} caption="Signature diff">
                {c.signatureDiffs.map((d) => (
                  <tr key={d.version}>
                    <Td className="font-medium">v{d.version}</Td>
                    <Td>
                      <DiffList diff={d.diff} />
                    </Td>
                  </tr>
                ))}
              </Table>
            </Card>
          </>
        ) : null}
      </div>
    </>
  );
}
