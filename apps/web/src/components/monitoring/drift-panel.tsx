"use client";

import { useMemo, useState } from "react";

import type { Monitor } from "@gantry/schema/monitoring-contracts";

import { EChart } from "~/components/charts/echart";
import { Badge, Card, EmptyState } from "~/components/ui/card";
import { SelectField } from "~/components/ui/field";

import { driftHeatmapOption, heatmapAxes, sharesBarOption } from "./drift-option";

/**
 * A drift monitor's evaluations: features × time as a heatmap (red, marked cells drifted), and
 * for one evaluation (the newest, or the one clicked or chosen) each feature's reference against
 * the window's shares.
 */
export function DriftPanel({ monitor }: { monitor: Monitor }) {
  const [picked, setPicked] = useState<string | null>(null);
  const heatmap = useMemo(() => driftHeatmapOption(monitor.recent), [monitor.recent]);
  const { evaluations, features } = heatmapAxes(monitor.recent);
  const newestFirst = [...evaluations].reverse();
  const evaluation = newestFirst.find((r) => r.id === picked) ?? newestFirst[0];
  const findings = [...(evaluation?.findings ?? [])].sort((a, b) => Number(b.flagged) - Number(a.flagged));
  const what = monitor.kind === "data_drift" ? "feature" : "output";

  return (
    <Card
      title={`Drift: ${monitor.name}`}
      description={`Each cell is one ${what} at one evaluation, coloured by its distance to the drift threshold (1 = the threshold); ▲ marks drift. Click a column to see its distributions.`}
    >
      {evaluations.length === 0 ? (
        <EmptyState>No evaluation has judged any {what} yet{monitor.recent[0]?.status === "no_data" ? ` (latest: too few rows, ${monitor.recent[0].rows} of ${monitor.config.minRows})` : ""}.</EmptyState>
      ) : (
        <div className="space-y-6">
          <EChart
            option={heatmap}
            label={`Drift per ${what} over time of ${monitor.name}`}
            height={Math.max(180, 60 + features.length * 32)}
            onItemClick={(data) => {
              const id = (data as { resultId?: string } | null)?.resultId;
              if (id) setPicked(id);
            }}
          />
          <div className="flex flex-wrap items-end gap-4">
            <div className="w-96 max-w-full">
              <SelectField label="Evaluation" value={evaluation?.id ?? ""} onChange={(e) => setPicked(e.target.value)}>
                {newestFirst.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.evaluatedAt.toLocaleString()} — {r.status} ({r.rows} rows)
                  </option>
                ))}
              </SelectField>
            </div>
            {evaluation ? (
              <p className="pb-2 text-sm text-slate-600" data-testid="evaluation-summary">
                Window {evaluation.windowStart.toLocaleTimeString()}–{evaluation.windowEnd.toLocaleTimeString()}, {evaluation.rows} rows:{" "}
                {findings.filter((f) => f.flagged).length} of {findings.length} {what}s drifted
              </p>
            ) : null}
          </div>
          <div className="grid gap-6 md:grid-cols-2 xl:grid-cols-3">
            {findings.map((f) => (
              <figure key={f.name} aria-label={`${f.name}: reference vs current`}>
                <figcaption className="mb-1 flex flex-wrap items-center gap-2 text-sm">
                  <span className="font-semibold text-slate-900">{f.name}</span>
                  {f.flagged ? <Badge tone="red">drift</Badge> : <Badge tone="green">ok</Badge>}
                  <span className="text-xs text-slate-500">
                    {f.test}
                    {f.statistic !== null ? ` ${f.statistic.toPrecision(3)} (threshold ${f.threshold})` : ""}
                  </span>
                </figcaption>
                {f.reference || f.current ? <EChart option={sharesBarOption(f)} label={`Reference and current shares of ${f.name}`} height={200} /> : null}
                {f.note ? <p className="text-xs text-slate-500">{f.note}</p> : null}
              </figure>
            ))}
          </div>
        </div>
      )}
    </Card>
  );
}
