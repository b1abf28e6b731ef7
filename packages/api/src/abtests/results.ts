import { sql } from "@gantry/db";
import type { Executor } from "@gantry/db";
import type { MsprtLook } from "@gantry/ml/stats";
import { abVerdict, meanSummaryFromSums, sampleRatioMismatch, sequentialPValues, twoProportionZTest, welchTTest } from "@gantry/ml/stats";
import type { AbTest, AbTestResults } from "@gantry/schema";

import type { OrgContext } from "../context";
import { abTestRow } from "./read";

/*
 * A test's results, computed from the prediction log (who got which variant) and the feedback
 * (what happened), in one set-based query grouped by variant and first-exposure day, never row by
 * row in memory. The unit is the caller's unit id when it sent one, else the request. Per unit:
 * conversion = any positive reward or a label reading 1/true/yes; mean_reward = the sum of its
 * rewards (per-user revenue); per labelled row: accuracy (predicted label = label), log loss
 * (−ln p of the true label, clipped at 1e-15) and squared error (regression). Statistics from
 * @gantry/ml: z-test for rates, Welch for means, χ² SRM against the split's weights, the mSPRT
 * always-valid p-value over the daily cumulative looks, and the plain-language verdict.
 */

type DayRow = { variant: string; day: string; n: number; x: number; x2: number; conv: number };

const lower = new Set(["log_loss", "rmse"]);

/** Per variant and first-exposure day: units (or labelled rows), sum and sum of squares of the metric, conversions. */
async function dailyAggregates(db: Executor, test: { id: string; endpointId: string; startedAt: Date; stoppedAt: Date | null }, metric: string, labels: string[]): Promise<DayRow[]> {
  const until = test.stoppedAt ?? new Date(Date.now() + 60_000);
  const scope = sql`
      from prediction_log l
      left join prediction_feedback f on f.endpoint_id = l.endpoint_id and f.request_id = l.request_id and f.row_index = l.row_index
     where l.endpoint_id = ${test.endpointId}
       and l.created_at >= ${test.startedAt.toISOString()}::timestamptz and l.created_at <= ${until.toISOString()}::timestamptz
       and l.status = 200
       and l.revision in (select revision from deployment_revisions r where r.endpoint_id = ${test.endpointId} and r.policy->>'abTestId' = ${test.id})`;
  const positive = sql`(f.reward > 0 or lower(f.label) in ('1', 'true', 'yes'))`;
  let query;
  if (metric === "conversion" || metric === "mean_reward") {
    query = sql`
      with units as (
        select l.variant, coalesce(l.unit_id, l.request_id) as unit, min(l.created_at) as first_at,
               max(case when ${positive} then 1 else 0 end)::float8 as conv, coalesce(sum(f.reward), 0)::float8 as reward
        ${scope}
        group by l.variant, coalesce(l.unit_id, l.request_id))
      select variant, to_char(date_trunc('day', first_at at time zone 'UTC'), 'YYYY-MM-DD') as day, count(*)::float8 as n,
             sum(${metric === "conversion" ? sql`conv` : sql`reward`})::float8 as x, sum(${metric === "conversion" ? sql`conv` : sql`reward * reward`})::float8 as x2,
             sum(conv)::float8 as conv
        from units group by 1, 2 order by 2, 1`;
  } else {
    const value =
      metric === "accuracy"
        ? sql`case when l.outputs->>'label' = f.label then 1 else 0 end`
        : metric === "log_loss"
          ? sql`-ln(greatest(coalesce((l.outputs->'probabilities'->>(array_position(${`{${labels.map((s) => `"${s.replaceAll('"', '\\"')}"`).join(",")}}`}::text[], f.label) - 1))::float8, 0), 1e-15))`
          : sql`power((l.outputs->>'value')::float8 - f.label::float8, 2)`;
    query = sql`
      with rows as (select l.variant, l.created_at, (${value})::float8 as v ${scope} and f.label is not null)
      select variant, to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD') as day, count(*)::float8 as n,
             sum(v)::float8 as x, sum(v * v)::float8 as x2, sum(v)::float8 as conv
        from rows group by 1, 2 order by 2, 1`;
  }
  return (await db.execute(query)) as unknown as DayRow[];
}

type Totals = { n: number; x: number; x2: number };
const add = (a: Totals, r: DayRow): Totals => ({ n: a.n + r.n, x: a.x + r.x, x2: a.x2 + r.x2 });

/** The comparison of one treatment with the control on cumulative totals; null while either arm is too small. */
function compare(metric: string, control: Totals, treatment: Totals, alpha: number) {
  try {
    if (metric === "conversion" || metric === "accuracy") {
      const r = twoProportionZTest({ control: { units: control.n, conversions: control.x }, treatment: { units: treatment.n, conversions: treatment.x }, alpha });
      const variance = (r.controlRate * (1 - r.controlRate)) / control.n + (r.treatmentRate * (1 - r.treatmentRate)) / treatment.n;
      return { result: r, look: { estimate: r.absolute.effect, variance, n: control.n + treatment.n } satisfies MsprtLook };
    }
    const c = meanSummaryFromSums({ n: control.n, sum: control.x, sumSquares: control.x2 });
    const t = meanSummaryFromSums({ n: treatment.n, sum: treatment.x, sumSquares: treatment.x2 });
    const r = welchTTest({ control: c, treatment: t, alpha });
    return { result: r, look: { estimate: r.absolute.effect, variance: c.variance / c.n + t.variance / t.n, n: c.n + t.n } satisfies MsprtLook };
  } catch {
    return null;
  }
}

export async function abTestResults(ctx: OrgContext, id: string, toAbTest: (id: string) => Promise<AbTest>): Promise<AbTestResults> {
  const { test } = await abTestRow(ctx, id);
  const summary = await toAbTest(id);
  const labels = await signatureLabels(ctx.db, test.variants[0]?.modelVersionId ?? "");
  const rows = await dailyAggregates(ctx.db, test, test.primaryMetric, labels);
  const alpha = test.plan.alpha;
  const names = test.variants.map((v) => v.name);
  const days = [...new Set(rows.map((r) => r.day))].sort();
  const zero: Totals = { n: 0, x: 0, x2: 0 };
  const totals = new Map(names.map((n) => [n, zero]));
  const looks = new Map<string, MsprtLook[]>(names.slice(1).map((n) => [n, []]));
  const series: AbTestResults["series"] = [];
  for (const day of days) {
    for (const r of rows.filter((x) => x.day === day)) if (totals.has(r.variant)) totals.set(r.variant, add(totals.get(r.variant) ?? zero, r));
    const control = totals.get(names[0] as string) ?? zero;
    for (const name of names.slice(1)) {
      const c = compare(test.primaryMetric, control, totals.get(name) ?? zero, alpha);
      if (!c) continue;
      looks.get(name)?.push(c.look);
      const rel = c.result.relative;
      series.push({ day, variant: name, units: (totals.get(name) ?? zero).n, effect: rel?.effect ?? c.result.absolute.effect, low: (rel ?? c.result.absolute).ci[0], high: (rel ?? c.result.absolute).ci[1] });
    }
  }
  const controlTotals = totals.get(names[0] as string) ?? zero;
  const weighted = test.kind === "split";
  const srm = weighted && [...totals.values()].some((t) => t.n > 0) ? safe(() => sampleRatioMismatch({ observed: names.map((n) => totals.get(n)?.n ?? 0), weights: test.variants.map((v) => v.weight) })) : null;
  const planned = test.plan.unitsPerVariant;
  const variants: AbTestResults["variants"] = test.variants.map((v, i) => {
    const t = totals.get(v.name) ?? zero;
    const base = { name: v.name, model: v.model, version: v.version, units: t.n, mean: t.n ? t.x / t.n : null };
    if (i === 0) return { ...base, control: true, absolute: null, relative: null, pValue: null, sequentialPValue: null, chanceToBeatControl: null, verdict: null };
    const c = compare(test.primaryMetric, controlTotals, t, alpha);
    const sequential = safe(() => sequentialPValues(looks.get(v.name) ?? [], { alpha }).at(-1)?.pValue ?? null) ?? null;
    const share = Math.min(controlTotals.n, t.n) / planned;
    const verdict = c ? abVerdict({ test: c.result, srm: srm ?? { flagged: false, pValue: 1 }, sequentialPValue: sequential ?? undefined, sampleShare: share, alpha, higherIsBetter: !lower.has(test.primaryMetric) }) : null;
    return {
      ...base,
      control: false,
      absolute: c?.result.absolute ?? null,
      relative: c?.result.relative ?? null,
      pValue: c?.result.pValue ?? null,
      sequentialPValue: sequential,
      chanceToBeatControl: c ? (lower.has(test.primaryMetric) ? 1 - c.result.chanceToBeatControl : c.result.chanceToBeatControl) : null,
      verdict,
    };
  });
  const best = variants.slice(1).sort((a, b) => (b.chanceToBeatControl ?? 0) - (a.chanceToBeatControl ?? 0))[0];
  const reached = Math.min(...variants.map((v) => v.units)) / planned;
  return {
    test: summary,
    metric: test.primaryMetric,
    variants,
    srm: srm ? { chi2: srm.chi2, pValue: srm.pValue, flagged: srm.flagged, expected: srm.expected } : null,
    sampleShare: reached,
    // The variant a promotion picks by default: the likeliest winner, or the control when no treatment is likelier than not to beat it.
    best: best && (best.chanceToBeatControl ?? 0) > 0.5 ? best.name : (names[0] ?? null),
    verdict: best?.verdict ?? { decision: "keep_collecting", sentence: `keep collecting: ${Math.round(reached * 100)}% of planned sample` },
    series,
  };
}

function safe<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

async function signatureLabels(db: Executor, versionId: string): Promise<string[]> {
  const rows = (await db.execute(sql`select signature->'labels' as labels from model_versions where id = ${versionId || null}`)) as unknown as { labels: string[] | null }[];
  return rows[0]?.labels ?? [];
}
