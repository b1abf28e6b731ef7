import type { Database } from "@gantry/db";
import { sql } from "@gantry/db";
import type { MonitorFinding } from "@gantry/schema";

/*
 * Performance of the served version on the window's traffic, in one set-based query over the
 * log joined with the feedback:
 * - from labels (rows whose feedback has a label): accuracy, precision, recall and F1 of the
 *   positive class for a binary classifier; RMSE and MAE for a regressor;
 * - estimated without labels, for a binary classifier, on every row, as NannyML's CBPE does:
 *   each prediction is correct with probability p̂ (predicted positive) or 1 − p̂ (negative), so the
 *   expected confusion matrix is TP = Σ p̂, FP = Σ (1 − p̂) over predicted positives, TN = Σ (1 − p̂),
 *   FN = Σ p̂ over predicted negatives (probabilities taken as calibrated: no isotonic step here).
 * A metric from labels is compared with what the version scored on its test split (its registered
 * metrics), an estimate with the same estimate on the test split (its reference profile's score
 * histogram, so uncalibrated scores are not a finding by themselves): a fall of more than
 * `maxMetricDrop` is a breach, so decay in the scores shows before the labels do. CBPE cannot see
 * a change of the label relationship itself (it assumes none): the labels do.
 */

type Sums = { n: number; labelled: number; tp: number; fp: number; tn: number; fn: number; se: number | null; ae: number | null; etp: number; efp: number; etn: number; efn: number };

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
    maxDrop: number;
    minLabels: number;
  },
): Promise<{ rows: number; labelled: number; findings: MonitorFinding[]; score: Record<string, number> }> {
  const p = sql`coalesce((l.outputs -> 'probabilities' ->> 1)::float8, 0)`;
  const predictedPositive = sql`(l.outputs ->> 'label') = ${input.positive}`;
  const truth = sql`(f.label = ${input.positive} or lower(f.label) in ('1', 'true', 'yes'))`;
  const [s] = (await db.execute(sql`
    select count(*)::float8 as n,
           count(f.label)::float8 as labelled,
           count(*) filter (where f.label is not null and ${predictedPositive} and ${truth})::float8 as tp,
           count(*) filter (where f.label is not null and ${predictedPositive} and not ${truth})::float8 as fp,
           count(*) filter (where f.label is not null and not ${predictedPositive} and not ${truth})::float8 as tn,
           count(*) filter (where f.label is not null and not ${predictedPositive} and ${truth})::float8 as fn,
           ${input.task === "regression" ? sql`sum(power((l.outputs ->> 'value')::float8 - f.label::float8, 2)) filter (where f.label ~ '^-?[0-9.eE+-]+$')` : sql`null`}::float8 as se,
           ${input.task === "regression" ? sql`sum(abs((l.outputs ->> 'value')::float8 - f.label::float8)) filter (where f.label ~ '^-?[0-9.eE+-]+$')` : sql`null`}::float8 as ae,
           coalesce(sum(${p}) filter (where ${predictedPositive}), 0)::float8 as etp,
           coalesce(sum(1 - ${p}) filter (where ${predictedPositive}), 0)::float8 as efp,
           coalesce(sum(1 - ${p}) filter (where not ${predictedPositive}), 0)::float8 as etn,
           coalesce(sum(${p}) filter (where not ${predictedPositive}), 0)::float8 as efn
      from prediction_log l
      left join prediction_feedback f on f.endpoint_id = l.endpoint_id and f.request_id = l.request_id and f.row_index = l.row_index
     where l.endpoint_id = ${input.endpointId} and l.created_at >= ${input.start.toISOString()}::timestamptz and l.created_at < ${input.end.toISOString()}::timestamptz
       and l.status = 200 and l.variant = any(${`{${input.variants.map((v) => `"${v}"`).join(",")}}`}::text[])`)) as unknown as Sums[];
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
    }
  }
  if (input.task === "binary" && s.n > 0) {
    metrics.estimated_accuracy = (s.etp + s.etn) / s.n;
    metrics.estimated_f1 = f1(s.etp, s.efp, s.efn);
  }
  const findings: MonitorFinding[] = [];
  const lowerIsBetter = new Set(["rmse", "mae"]);
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

/** CBPE's expected accuracy and F1 over a score histogram (each bin's scores at its midpoint): the reference for the window's estimates. */
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
  return { estimated_accuracy: (tp + tn) / n, estimated_f1: (2 * tp) / (2 * tp + fp + fn) };
}
