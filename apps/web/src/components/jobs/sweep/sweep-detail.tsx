"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";

import type { Job } from "@gantry/schema/job-contracts";
import type { SweepTrial, SweepView } from "@gantry/schema/sweep-contracts";

import type { ParallelDimension, ParallelLine } from "~/components/tracking/compare/parallel-chart";
import { ParallelCoordinates } from "~/components/tracking/compare/parallel-chart";
import { Alert, Badge, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { formatMetric } from "../../tracking/format";
import { shortId } from "../job-format";
import { JobStatusBadge } from "../job-status-badge";
import { jobHref } from "../links";
import { useFinalRefresh } from "../use-final-refresh";

const LIVE_MS = 2000;
const MAX_COMPARED = 20;

export const formatTrialValue = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? formatMetric(v) : JSON.stringify(v));

/** Trials with the metric, best first by the sweep's goal. */
function ranked(view: SweepView): SweepTrial[] {
  const sign = view.goal === "maximize" ? -1 : 1;
  return view.trials.filter((t) => t.runId && Number.isFinite(t.metrics[view.metric])).sort((a, b) => sign * ((a.metrics[view.metric] ?? 0) - (b.metrics[view.metric] ?? 0)));
}

/** A parameter axis: numbers when every value is one, else its distinct values as categories. */
function parameterAxes(view: SweepView): { dimensions: ParallelDimension[]; value: (t: SweepTrial, i: number) => number | string | undefined } {
  const numeric = view.parameters.map((p) => view.trials.every((t) => t.values[p] === undefined || typeof t.values[p] === "number"));
  const dimensions = view.parameters.map((p, i) => (numeric[i] ? { name: p } : { name: p, categories: [...new Set(view.trials.map((t) => formatTrialValue(t.values[p])))] }));
  return {
    dimensions: [...dimensions, { name: view.metric }],
    value: (t, i) => {
      const p = view.parameters[i];
      if (p === undefined) {
        const m = t.metrics[view.metric];
        return m !== undefined && Number.isFinite(m) ? m : undefined;
      }
      const v = t.values[p];
      return v === undefined ? undefined : numeric[i] ? (v as number) : formatTrialValue(v);
    },
  };
}

function TrialsParallel({ view }: { view: SweepView }) {
  const { dimensions, lines } = useMemo(() => {
    const axes = parameterAxes(view);
    const withMetric = view.trials.filter((t) => t.metrics[view.metric] !== undefined);
    const lines: ParallelLine[] = withMetric.map((t) => ({
      label: `trial ${t.index}`,
      color: t.index === view.best?.index ? "#2f9e44" : "#2459c9",
      emphasis: t.index === view.best?.index,
      values: axes.dimensions.map((_, i) => axes.value(t, i)),
    }));
    return { dimensions: axes.dimensions, lines };
  }, [view]);
  return (
    <Card title="Parallel coordinates" description={`Each line a trial with ${view.metric}; the best in green.`}>
      {lines.length === 0 ? (
        <EmptyState>Lines appear as trials finish.</EmptyState>
      ) : (
        <ParallelCoordinates dimensions={dimensions} lines={lines} legend={lines.length <= 12} label={`Parallel coordinates of ${dimensions.map((d) => d.name).join(", ")} for ${lines.length} trials`} />
      )}
    </Card>
  );
}

function TrialsTable({ org, view }: { org: string; view: SweepView }) {
  return (
    <Table head={["Trial", ...view.parameters.map((p) => ({ label: <span className="font-mono normal-case tracking-normal">{p}</span> })), "Status", { label: <span className="font-mono normal-case tracking-normal">{view.metric}</span>, className: "text-right" }, "Run"]} caption="Trials">
      {view.trials.map((t) => {
        const best = t.index === view.best?.index;
        return (
          <tr key={t.index} className={best ? "bg-emerald-50" : "hover:bg-slate-50"} data-best={best || undefined}>
            <Td className="whitespace-nowrap font-medium">
              {t.jobId ? (
                <Link href={jobHref(org, t.jobId)} className="text-brand-600 hover:underline">
                  #{t.index}
                </Link>
              ) : (
                `#${t.index}`
              )}
              {best ? (
                <span className="ml-2">
                  <Badge tone="green">best</Badge>
                </span>
              ) : null}
            </Td>
            {view.parameters.map((p) => (
              <Td key={p} className="whitespace-nowrap font-mono text-xs">
                {t.values[p] === undefined ? "—" : formatTrialValue(t.values[p])}
              </Td>
            ))}
            <Td>{t.status === "pending" ? <Badge>pending</Badge> : <JobStatusBadge status={t.status} />}</Td>
            <Td className={`text-right font-mono text-xs tabular-nums ${best ? "font-semibold" : ""}`}>{formatMetric(t.metrics[view.metric])}</Td>
            <Td>
              {t.runId ? (
                <Link href={`/o/${org}/runs/${t.runId}`} className="text-brand-600 hover:underline">
                  {shortId(t.runId)}
                </Link>
              ) : t.error ? (
                <span className="text-xs text-red-700" title={t.error}>
                  {t.error.slice(0, 60)}
                </span>
              ) : (
                "—"
              )}
            </Td>
          </tr>
        );
      })}
    </Table>
  );
}

/** A sweep's trials (values, status, metric), its best trial, a parallel-coordinates chart, and a comparison of the child runs. */
export function SweepDetail({ org, job, live }: { org: string; job: Job; live: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sweep = useQuery({ ...trpc.job.sweep.queryOptions({ jobId: job.id }), refetchInterval: live ? LIVE_MS : false });
  useFinalRefresh(live, () => Promise.all([sweep.refetch(), queryClient.invalidateQueries(trpc.run.pathFilter())]));
  const parent = useQuery({ ...trpc.run.get.queryOptions({ runId: job.runId ?? "" }), enabled: Boolean(job.runId) });
  const view = sweep.data;
  if (sweep.error) return <Alert>{errorInfo(sweep.error).message}</Alert>;
  if (!view) return <EmptyState>Loading trials…</EmptyState>;
  const compared = ranked(view)
    .slice(0, MAX_COMPARED)
    .map((t) => t.runId);
  const experimentId = parent.data?.info.experimentId;
  const best = view.best;
  return (
    <>
      <Card
        title="Trials"
        description={`${view.method} search over ${view.parameters.join(", ")}; ${view.goal === "maximize" ? "maximising" : "minimising"} ${view.metric}, ${view.concurrency} at a time.`}
        actions={
          experimentId && compared.length >= 2 ? (
            <Link href={`/o/${org}/experiments/${experimentId}/compare?runs=${compared.join(",")}`} className="rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50">
              Compare {compared.length === MAX_COMPARED ? `the best ${MAX_COMPARED}` : `${compared.length}`} runs
            </Link>
          ) : undefined
        }
      >
        {best ? (
          <div className="mb-4">
            <Alert tone="success">
              Best so far: trial #{best.index} with {view.metric} = <span className="font-mono">{formatMetric(best.value)}</span> (
              <Link href={`/o/${org}/runs/${best.runId}`} className="font-medium underline">
                run
              </Link>
              ).
            </Alert>
          </div>
        ) : null}
        <TrialsTable org={org} view={view} />
      </Card>
      <TrialsParallel view={view} />
    </>
  );
}
