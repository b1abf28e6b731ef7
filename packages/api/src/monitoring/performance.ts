import type { Database } from "@gantry/db";
import type { SQL } from "@gantry/db";
import { sql } from "@gantry/db";
import type { MonitorFinding } from "@gantry/schema";

/*
 * Performance of the served version on the window's traffic, in one set-based query over the
 * log joined with the feedback:
 * - from labels (rows whose feedback has a label): accuracy, precision, recall and F1 of the
 *   positive class, log loss, and ROC AUC (Mann–Whitney over the scores in 1,000 equal bins, ties
 *   within a bin counted half: within 1e-3 of the exact value) for a binary classifier; RMSE and
 *   MAE for a regressor;
 * - estimated without labels, for a binary classifier, on every row, as NannyML's CBPE does:
 *   each prediction is correct with probability p̂ (predicted positive) or 1 − p̂ (negative), so the
 *   expected confusion matrix is TP = Σ p̂, FP = Σ (1 − p̂) over predicted positives, TN = Σ (1 − p̂),
 *   FN = Σ p̂ over predicted negatives (probabilities taken as calibrated: no isotonic step here);
 *   and ROC AUC with each row a positive with probability p̂ (NannyML's `estimate_roc_auc`),
 *   binned by the reference score histogram's edges, as its reference estimate is.
 * A metric from labels is compared with what the version scored on its test split (its registered
 * metrics), an estimate with the same estimate on the test split (its reference profile's score
 * histogram, so uncalibrated scores are not a finding by themselves): a fall of more than
 * `maxMetricDrop` is a breach, so decay in the scores shows before the labels do. CBPE cannot see
 * a change of the label relationship itself (it assumes none): the labels do.
 */

type Sums = { n: number; labelled: number; tp: number; fp: number; tn: number; fn: number; se: number | null; ae: number | null; ll: number | null; etp: number; efp: number; etn: number; efn: number };

/** Per score bin: positives and negatives (observed or expected). */
type Bin = { positives: number; negatives: number };

/**
 * ROC AUC from counts per score bin, lowest bin first: the chance a positive scores above a
 * negative (Mann–Whitney U / (P·N)), a pair in the same bin counting half.
 */
export function binnedRocAuc(bins: Bin[]): number {
  let negativesBelow = 0;
  let u = 0;
  let positives = 0;
  for (const b of bins) {
    u += b.positives * (negativesBelow + b.negatives / 2);
    negativesBelow += b.negatives;
    positives += b.positives;
  }
  return positives > 0 && negativesBelow > 0 ? u / (positives * negativesBelow) : Number.NaN;
}

const LABEL_AUC_BINS = 1_000;

export async function performanceFindings(
  db: Database,
  input: {
    endpointId: string;
    start: Date;
    end: Date;
    variants: string[];
    task: string;
    positive: string;
    testMetrics: Record<string, number>;
    /** The same estimate on the test split (from the reference profile's score histogram): what an estimate is compared with. */
    referenceEstimates: Record<string, number>;
    /** The reference score histogram's edges: the window's scores are binned by them for the estimated ROC AUC. */
    scoreEdges?: number[];
    maxDrop: number;
    minLabels: number;
  },
): Promise<{ rows: number; labelled: number; findings: MonitorFinding[]; score: Record<string, number> }> {
  const p = sql`coalesce((l.outputs -> 'probabilities' ->> 1)::float8, 0)`;
  const predictedPositive = sql`(l.outputs ->> 'label') = ${input.positive}`;
  const truth = sql`(f.label = ${input.positive} or lower(f.label) in ('1', 'true', 'yes'))`;
  const scope = sql`l.endpoint_id = ${input.endpointId} and l.created_at >= ${input.start.toISOString()}::timestamptz and l.created_at < ${input.end.toISOString()}::timestamptz
       and l.status = 200 and l.variant = any(${`{${input.variants.map((v) => `"${v}"`).join(",")}}`}::text[])`;
  const [s] = (await db.execute(sql`
    select count(*)::float8 as n,
           count(f.label)::float8 as labelled,
           count(*) filter (where f.label is not null and ${predictedPositive} and ${truth})::float8 as tp,
           count(*) filter (where f.label is not null and ${predictedPositive} and not ${truth})::float8 as fp,
           count(*) filter (where f.label is not null and not ${predictedPositive} and not ${truth})::float8 as tn,
           count(*) filter (where f.label is not null and not ${predictedPositive} and ${truth})::float8 as fn,
           ${input.task === "regression" ? sql`sum(power((l.outputs ->> 'value')::float8 - f.label::float8, 2)) filter (where f.label ~ '^-?[0-9.eE+-]+$')` : sql`null`}::float8 as se,
           ${input.task === "regression" ? sql`sum(abs((l.outputs ->> 'value')::float8 - f.label::float8)) filter (where f.label ~ '^-?[0-9.eE+-]+$')` : sql`null`}::float8 as ae,
           ${input.task === "binary" ? sql`sum(case when ${truth} then -ln(greatest(${p}, 1e-15)) else -ln(greatest(1 - ${p}, 1e-15)) end) filter (where f.label is not null)` : sql`null`}::float8 as ll,
           coalesce(sum(${p}) filter (where ${predictedPositive}), 0)::float8 as etp,
           coalesce(sum(1 - ${p}) filter (where ${predictedPositive}), 0)::float8 as efp,
           coalesce(sum(1 - ${p}) filter (where not ${predictedPositive}), 0)::float8 as etn,
           coalesce(sum(${p}) filter (where not ${predictedPositive}), 0)::float8 as efn
      from prediction_log l
      left join prediction_feedback f on f.endpoint_id = l.endpoint_id and f.request_id = l.request_id and f.row_index = l.row_index
     where ${scope}`)) as unknown as Sums[];
  if (!s) return { rows: 0, labelled: 0, findings: [], score: {} };
  const metrics: Record<string, number> = {};
  const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
  const f1 = (tp: number, fp: number, fn: number) => ratio(2 * tp, 2 * tp + fp + fn);
  if (s.labelled >= input.minLabels) {
    if (input.task === "regression" && s.se !== null && s.ae !== null) {
      metrics.rmse = Math.sqrt(s.se / s.labelled);
      metrics.mae = s.ae / s.labelled;
    } else if (input.task !== "regression") {
      metrics.accuracy = ratio(s.tp + s.tn, s.labelled);
      metrics.precision = ratio(s.tp, s.tp + s.fp);
      metrics.recall = ratio(s.tp, s.tp + s.fn);
      metrics.f1 = f1(s.tp, s.fp, s.fn);
      if (input.task === "binary" && s.ll !== null) metrics.log_loss = s.ll / s.labelled;
    }
  }
  if (input.task === "binary" && s.n > 0) {
    metrics.estimated_accuracy = (s.etp + s.etn) / s.n;
    metrics.estimated_f1 = f1(s.etp, s.efp, s.efn);
    const bins = await scoreBins(db, scope, p, truth, input.scoreEdges);
    if (s.labelled >= input.minLabels) metrics.roc_auc = binnedRocAuc(bins.labelled);
    if (input.scoreEdges) metrics.estimated_roc_auc = binnedRocAuc(bins.expected);
  }
  const findings: MonitorFinding[] = [];
  const lowerIsBetter = new Set(["rmse", "mae", "log_loss"]);
  for (const [name, value] of Object.entries(metrics)) {
    if (!Number.isFinite(value)) continue;
    // An estimate is compared with the same estimate on the test split, so a model whose scores are not calibrated is not flagged for that alone.
    const estimated = name.startsWith("estimated_");
    const reference = estimated ? input.referenceEstimates[name] : input.testMetrics[`test_${name}`];
    if (reference === undefined) {
      findings.push({ name, test: "no_reference", statistic: value, threshold: 0, flagged: false, note: `nothing to compare ${name} with` });
      continue;
    }
    const threshold = lowerIsBetter.has(name) ? reference * (1 + input.maxDrop) : reference - input.maxDrop;
    const flagged = lowerIsBetter.has(name) ? value > threshold : value < threshold;
    findings.push({ name, test: lowerIsBetter.has(name) ? "max_rise" : "max_drop", statistic: value, threshold, flagged, note: `${estimated ? "estimated on the test split" : "test split"}: ${reference.toFixed(4)}` });
  }
  return { rows: s.n, labelled: s.labelled, findings, score: { labelled: s.labelled, ...Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v))) } };
}

/**
 * The window's scores in bins, one grouped pass: the labelled rows' positives and negatives in
 * 1,000 equal bins (for ROC AUC from labels), and every row's expected positives (Σ p̂) and
 * negatives in the reference histogram's bins (for the estimated ROC AUC). Lowest bin first.
 */
async function scoreBins(db: Database, scope: SQL, p: SQL, truth: SQL, edges: number[] | undefined): Promise<{ labelled: Bin[]; expected: Bin[] }> {
  const thresholds = edges && edges.length > 1 ? `{${edges.slice(1, -1).map(String).join(",")}}` : "{}";
  const rows = (await db.execute(sql`
    select fine, coarse, count(*)::float8 as n, sum(p)::float8 as sp,
           count(*) filter (where labelled and truth)::float8 as pos, count(*) filter (where labelled and not truth)::float8 as neg
      from (select width_bucket(least(greatest(${p}, 0), 1 - 1e-12), 0, 1, ${LABEL_AUC_BINS}) as fine, width_bucket(${p}, ${thresholds}::float8[]) as coarse,
                   ${p} as p, f.label is not null as labelled, coalesce(${truth}, false) as truth
              from prediction_log l
              left join prediction_feedback f on f.endpoint_id = l.endpoint_id and f.request_id = l.request_id and f.row_index = l.row_index
             where ${scope}) x
     group by grouping sets ((fine), (coarse))`)) as unknown as { fine: number | null; coarse: number | null; n: number; sp: number; pos: number; neg: number }[];
  const labelled = rows.filter((r) => r.fine !== null).sort((a, b) => (a.fine ?? 0) - (b.fine ?? 0)).map((r) => ({ positives: r.pos, negatives: r.neg }));
  const expected = rows.filter((r) => r.coarse !== null).sort((a, b) => (a.coarse ?? 0) - (b.coarse ?? 0)).map((r) => ({ positives: r.sp, negatives: r.n - r.sp }));
  return { labelled, expected };
}

/** CBPE's expected accuracy, F1 and ROC AUC over a score histogram (each bin's scores at its midpoint): the reference for the window's estimates. */
export function estimatesFromScoreHistogram(histogram: { edges: number[]; counts: number[] }): Record<string, number> {
  let n = 0;
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  histogram.counts.forEach((c, i) => {
    const lo = histogram.edges[i] ?? 0;
    const m = (lo + (histogram.edges[i + 1] ?? lo)) / 2;
    n += c;
    if (m >= 0.5) {
      tp += c * m;
      fp += c * (1 - m);
    } else {
      tn += c * (1 - m);
      fn += c * m;
    }
  });
  if (!n) return {};
  const auc = binnedRocAuc(
    histogram.counts.map((c, i) => {
      const lo = histogram.edges[i] ?? 0;
      const m = (lo + (histogram.edges[i + 1] ?? lo)) / 2;
      return { positives: c * m, negatives: c * (1 - m) };
    }),
  );
  return { estimated_accuracy: (tp + tn) / n, estimated_f1: (2 * tp) / (2 * tp + fp + fn), ...(Number.isFinite(auc) ? { estimated_roc_auc: auc } : {}) };
}
