"use client";

import Link from "next/link";
import { useState } from "react";

import { Badge, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";

import { formatMetric } from "../format";
import type { LabelledRun } from "./run-labels";

function RunHead({ org, run }: { org: string; run: LabelledRun }) {
  return (
    <span className="inline-flex items-center gap-1.5 normal-case tracking-normal">
      <span aria-hidden className="inline-block size-2.5 rounded-full" style={{ background: run.color }} />
      <Link href={`/o/${org}/runs/${run.run.info.id}`} className="text-brand-600 hover:underline">
        {run.label}
      </Link>
    </span>
  );
}

/** Params side by side; the keys whose values differ (or are missing somewhere) stand out. */
export function ParamDiff({ org, runs, differing }: { org: string; runs: LabelledRun[]; differing: string[] }) {
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const differs = new Set(differing);
  const keys = [...new Set(runs.flatMap((r) => r.run.data.params.map((p) => p.key)))].sort();
  const shown = onlyDiffering ? keys.filter((k) => differs.has(k)) : keys;
  return (
    <Card
      title="Parameters"
      description={`${differing.length} of ${keys.length} differ`}
      actions={
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={onlyDiffering} onChange={(e) => setOnlyDiffering(e.target.checked)} />
          Only differing
        </label>
      }
    >
      {shown.length === 0 ? (
        <EmptyState>{keys.length ? "All params are the same." : "No params logged."}</EmptyState>
      ) : (
        <Table head={["Param", ...runs.map((r) => <RunHead key={r.run.info.id} org={org} run={r} />)]} caption="Parameters by run">
          {shown.map((k) => (
            <tr key={k} className={differs.has(k) ? "bg-amber-50" : undefined} data-differs={differs.has(k) || undefined}>
              <Td className="whitespace-nowrap font-mono text-xs">
                {k} {differs.has(k) ? <Badge tone="amber">differs</Badge> : null}
              </Td>
              {runs.map((r) => (
                <Td key={r.run.info.id} className={`font-mono text-xs ${differs.has(k) ? "font-semibold text-slate-900" : "text-slate-600"}`}>
                  {r.run.data.params.find((p) => p.key === k)?.value ?? <span className="text-slate-400">—</span>}
                </Td>
              ))}
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}

/** The latest value of each metric, side by side. */
export function LatestMetrics({ org, runs, metricKeys }: { org: string; runs: LabelledRun[]; metricKeys: string[] }) {
  if (!metricKeys.length) return null;
  return (
    <Card title="Latest metrics">
      <Table head={["Metric", ...runs.map((r) => <RunHead key={r.run.info.id} org={org} run={r} />)]} caption="Latest metrics by run">
        {metricKeys.map((k) => (
          <tr key={k}>
            <Td className="whitespace-nowrap font-mono text-xs">{k}</Td>
            {runs.map((r) => (
              <Td key={r.run.info.id} className="font-mono text-xs tabular-nums">
                {formatMetric(r.run.data.metrics.find((m) => m.key === k)?.value)}
              </Td>
            ))}
          </tr>
        ))}
      </Table>
    </Card>
  );
}
