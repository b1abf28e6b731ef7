"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";

import type { AbTestResults } from "@gantry/schema/abtest-contracts";

import { EChart } from "~/components/charts/echart";
import { BackLink } from "~/components/ui/back-link";
import { Alert, Badge, Card, EmptyState, PageHeader } from "~/components/ui/card";
import { Fact, Facts } from "~/components/ui/facts";
import { ProgressBar } from "~/components/ui/progress-bar";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { endpointHref } from "../endpoints/links";
import { DecisionActions } from "./decision-actions";
import { decimal, percent, pValue, verdictTone } from "./format";
import { liftChartOption } from "./lift-option";
import { abTestsHref } from "./links";
import { ResultsTable } from "./results-table";
import { abTestStatusLabel, abTestStatusTone } from "./status";

const REFRESH_MS = 5_000;

const verdictBox = { green: "border-emerald-200 bg-emerald-50 text-emerald-900", blue: "border-brand-100 bg-brand-50 text-brand-700", slate: "border-slate-200 bg-slate-50 text-slate-800", red: "border-red-200 bg-red-50 text-red-800", amber: "border-amber-200 bg-amber-50 text-amber-900" };

function SrmBadge({ srm }: { srm: AbTestResults["srm"] }) {
  if (!srm) return <Badge>SRM: not checked</Badge>;
  return srm.flagged ? <Badge tone="red">Sample ratio mismatch (p {pValue(srm.pValue)})</Badge> : <Badge tone="green">Sample ratio healthy (p {pValue(srm.pValue)})</Badge>;
}

/** One A/B test: its plan, the verdict, progress, SRM, results per variant, the lift over time, and the decision (or the buttons to make it). */
export function AbTestView({ org, id }: { org: string; id: string }) {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.abtest.results.queryOptions({ id }),
    // Results move while the test runs; a decided test is final.
    refetchInterval: (q) => (q.state.data?.test.status === "running" ? REFRESH_MS : false),
  });
  const r = query.data;
  const relative = Boolean(r?.variants.some((v) => v.relative !== null)) || r?.metric === "conversion" || r?.metric === "accuracy";
  const option = useMemo(() => liftChartOption(r?.series ?? [], { relative }), [r?.series, relative]);
  const t = r?.test;
  const smallest = r ? Math.min(...r.variants.map((v) => v.units)) : 0;

  return (
    <>
      <BackLink href={abTestsHref(org)}>A/B tests</BackLink>
      <PageHeader
        title={t?.name ?? "A/B test"}
        description={
          t ? (
            <span className="flex flex-wrap items-center gap-2">
              <span data-testid="abtest-status">
                <Badge tone={abTestStatusTone[t.status]}>{abTestStatusLabel(t.status)}</Badge>
              </span>
              <Badge>{t.kind}</Badge>
              <span>
                on{" "}
                <Link className="text-brand-600 hover:underline" href={endpointHref(org, t.endpoint)}>
                  {t.endpoint}
                </Link>
              </span>
            </span>
          ) : undefined
        }
      />
      {query.error ? <Alert>{errorInfo(query.error).message}</Alert> : null}
      {query.isPending ? <EmptyState>Loading A/B test…</EmptyState> : null}
      {r && t ? (
        <div className="space-y-6">
          {t.hypothesis ? (
            <p className="text-sm text-slate-700">
              <span className="font-medium">Hypothesis:</span> {t.hypothesis}
            </p>
          ) : null}
          <section aria-label="Verdict" className={`rounded-lg border px-5 py-4 ${verdictBox[verdictTone[r.verdict.decision]]}`}>
            <p className="text-xs font-semibold uppercase tracking-wide opacity-70">Verdict</p>
            <p className="mt-1 text-lg font-semibold" data-testid="abtest-verdict">
              {r.verdict.sentence}
            </p>
          </section>
          <Card title="Progress" actions={<span data-testid="srm-status"><SrmBadge srm={r.srm} /></span>}>
            <ProgressBar value={r.sampleShare} label="Share of the planned sample" tone={r.sampleShare >= 1 ? "green" : "brand"} />
            <p className="mt-2 text-sm text-slate-600" data-testid="sample-progress">
              {percent(r.sampleShare, 0)} of the planned sample: the smallest arm has {smallest.toLocaleString("en-US")} of {t.plan.unitsPerVariant.toLocaleString("en-US")} units.
            </p>
          </Card>
          <Facts label="Test facts">
            <Fact label="Metric">{t.primaryMetric.replace("_", " ")}</Fact>
            <Fact label="Plan">
              baseline {decimal(t.plan.baseline)}, MDE {decimal(t.plan.minimumDetectableEffect)}, α {t.plan.alpha}, power {t.plan.power}
            </Fact>
            <Fact label="Planned units per variant">{t.plan.unitsPerVariant.toLocaleString("en-US")}</Fact>
            <Fact label="Variants">
              {t.variants.map((v) => (
                <span key={v.name} className="block">
                  {v.name}: {v.model} v{v.version}
                  {t.kind === "bandit" ? "" : ` (${v.weight}%)`}
                </span>
              ))}
            </Fact>
            <Fact label="Guardrails">{t.guardrails.length ? t.guardrails.map((g) => g.replace("_", " ")).join(", ") : "—"}</Fact>
            <Fact label="Promote alias">{t.promoteAlias ? `@${t.promoteAlias}` : "—"}</Fact>
            <Fact label="Started">
              {t.startedAt.toLocaleString()} by {t.createdBy}
            </Fact>
            {t.stoppedAt ? <Fact label="Ended">{t.stoppedAt.toLocaleString()}</Fact> : null}
          </Facts>
          {t.status === "running" ? null : (
            <Card title="Decision">
              <p className="text-sm" data-testid="abtest-decision">
                <Badge tone={abTestStatusTone[t.status]}>{abTestStatusLabel(t.status)}</Badge> {t.decision ?? ""}
                {t.decidedBy ? <span className="text-slate-600"> — decided by {t.decidedBy}</span> : null}
                {t.stoppedAt ? <span className="text-slate-600"> on {t.stoppedAt.toLocaleString()}</span> : null}
              </p>
            </Card>
          )}
          <Card title="Results" description={`Cumulative since the start, per variant; the first is the control.${t.status === "running" ? " Refreshed every few seconds." : ""}`}>
            <ResultsTable results={r} />
          </Card>
          <Card title="Lift over time" description="The cumulative lift of each treatment over the control per day, with its confidence band.">
            {r.series.length ? <EChart option={option} label={`Cumulative lift of ${t.name}`} /> : <EmptyState>No estimate yet: it appears once both arms have units.</EmptyState>}
          </Card>
          {t.status === "running" ? <DecisionActions results={r} /> : null}
        </div>
      ) : null}
    </>
  );
}
