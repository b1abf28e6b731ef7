"use client";

import { useMemo, useState } from "react";

import type { ColumnProfile } from "@gantry/schema/datasets";

import { barChartOption } from "~/components/charts/bar-option";
import { EChart } from "~/components/charts/echart";
import { Badge, Card, EmptyState } from "~/components/ui/card";
import { Button } from "~/components/ui/button";

import { formatColumnValue, formatCount, formatPercent, isNumberType } from "./format";

const FIRST_SHOWN = 12;

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11px] uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="truncate font-mono text-xs text-slate-900">{children}</dd>
    </div>
  );
}

/** Numbers: the histogram's bins; categories, booleans and text: the most frequent values. */
function profileChart(p: ColumnProfile) {
  if (isNumberType(p.type) && p.histogram && p.histogram.counts.length) {
    const { edges, counts } = p.histogram;
    const labels = counts.map((_, i) => `${formatColumnValue(p.type, edges[i])} – ${formatColumnValue(p.type, edges[i + 1])}`);
    return { kind: "histogram" as const, option: barChartOption({ labels, counts, name: "rows" }) };
  }
  if (p.top?.length) {
    return { kind: "top values" as const, option: barChartOption({ labels: p.top.map((t) => t.value), counts: p.top.map((t) => t.count), name: "rows", horizontal: true, color: "#0c8599" }) };
  }
  return null;
}

function ProfileCard({ profile: p, rows }: { profile: ColumnProfile; rows: number }) {
  const chart = useMemo(() => profileChart(p), [p]);
  const headingId = `profile-${encodeURIComponent(p.name)}`;
  const quantiles = Object.entries(p.quantiles ?? {});
  return (
    <section id={headingId} aria-labelledby={`${headingId}-title`} className="scroll-mt-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="column-profile">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={`${headingId}-title`} className="font-mono text-sm font-semibold text-slate-900">
          {p.name}
        </h3>
        <Badge tone="blue">{p.type}</Badge>
      </header>
      {chart ? (
        <EChart option={chart.option} label={`${p.name}: ${chart.kind}`} height={180} className="mt-2" />
      ) : (
        <p className="py-8 text-center text-xs text-slate-500">No values to chart.</p>
      )}
      <dl className="mt-3 grid grid-cols-3 gap-x-3 gap-y-2">
        <Stat label="Count">{formatCount(p.count)}</Stat>
        <Stat label="Missing">
          {formatCount(p.missing)} ({formatPercent(p.missing, rows)})
        </Stat>
        <Stat label="Distinct">{p.distinct === undefined ? "—" : `${p.distinctCapped ? "≥ " : ""}${formatCount(p.distinct)}`}</Stat>
        {isNumberType(p.type) ? (
          <>
            <Stat label="Min">{formatColumnValue(p.type, p.min)}</Stat>
            <Stat label="Mean">{formatColumnValue(p.type, p.mean)}</Stat>
            <Stat label="Max">{formatColumnValue(p.type, p.max)}</Stat>
            {p.type !== "datetime" ? <Stat label="Std">{formatColumnValue(p.type, p.std)}</Stat> : null}
          </>
        ) : null}
      </dl>
      {quantiles.length ? (
        <table className="mt-3 w-full table-fixed text-center text-xs">
          <caption className="sr-only">Quantiles of {p.name}</caption>
          <thead>
            <tr>
              {quantiles.map(([q]) => (
                <th key={q} scope="col" className="font-normal text-slate-500">
                  {q}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              {quantiles.map(([q, v]) => (
                <td key={q} className="truncate font-mono text-slate-800" title={formatColumnValue(p.type, v)}>
                  {formatColumnValue(p.type, v)}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** A card per column: its distribution and figures. The first dozen at once; wide tables on request. */
export function ColumnProfiles({ columns, rows }: { columns: ColumnProfile[]; rows: number }) {
  const [all, setAll] = useState(false);
  const shown = all ? columns : columns.slice(0, FIRST_SHOWN);
  return (
    <Card
      title="Column profiles"
      description="Histograms of numbers (quantiles approximate on large files) and the most frequent values of the rest."
      actions={
        columns.length > FIRST_SHOWN ? (
          <Button variant="secondary" onClick={() => setAll(!all)}>
            {all ? `Show the first ${FIRST_SHOWN}` : `Show all ${columns.length} columns`}
          </Button>
        ) : undefined
      }
    >
      {columns.length === 0 ? <EmptyState>No columns.</EmptyState> : null}
      <div className="grid gap-4 md:grid-cols-2 2xl:grid-cols-3">
        {shown.map((p) => (
          <ProfileCard key={p.name} profile={p} rows={rows} />
        ))}
      </div>
    </Card>
  );
}
