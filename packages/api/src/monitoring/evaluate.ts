import type { Database } from "@gantry/db";
import { and, eq, sql } from "@gantry/db";
import type { MonitorFinding, MonitorResultStatus } from "@gantry/schema";
import { alerts, endpoints, monitorResults, monitors } from "@gantry/schema";

import { raiseAlert, resolveAlert } from "../alerts";
import type { ArtifactStore } from "../artifacts";
import { onAlertFired } from "../retraining/policies";
import { histogramQuantile } from "../serving/minute-stats";
import { currentPolicy } from "../serving/serving-state";
import { binSpecOf, compareFeature, featurePath, referenceProfile } from "./drift";
import { estimatesFromScoreHistogram, performanceFindings } from "./performance";
import type { BinSpec, ValuePath } from "./window";
import { windowBinCounts } from "./window";

/*
 * One evaluation of a monitor over its window, ending `now`: a `monitor_results` row, and the
 * monitor's alert fired (a finding) or resolved (a clean window). `no_data` (too few rows, nothing
 * deployed, no reference) judges nothing and leaves a firing alert as it is.
 */

export type MonitorRow = typeof monitors.$inferSelect;
type Outcome = { status: MonitorResultStatus; rows: number; score: Record<string, number>; findings: MonitorFinding[]; modelVersionId: string | null; title?: string };

async function servedVersion(db: Database, endpointId: string): Promise<{ versionId: string; variants: string[]; endpoint: string } | null> {
  const row = await currentPolicy(db, endpointId);
  if (!row) return null;
  const { policy } = row;
  // Drift is about the traffic the endpoint answers: a shadow's mirrored rows are the same inputs again.
  const answering = policy.kind === "shadow" ? [policy.variants[0]] : policy.variants;
  return { versionId: policy.variants[0].modelVersionId, variants: answering.map((v) => v.name), endpoint: row.name };
}

/** "24 h", "90 min", "7 d": a baseline's length as people say it. */
const baselineWords = (minutes: number) => (minutes % 1_440 === 0 && minutes > 1_440 ? `${minutes / 1_440} d` : minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`);

async function driftOutcome(db: Database, store: ArtifactStore, monitor: MonitorRow, start: Date, end: Date): Promise<Outcome> {
  const served = await servedVersion(db, monitor.endpointId);
  if (!served) return { status: "no_data", rows: 0, score: {}, findings: [], modelVersionId: null, title: "nothing deployed" };
  const profile = await referenceProfile(db, store, served.versionId);
  if (!profile) return { status: "no_data", rows: 0, score: {}, findings: [], modelVersionId: served.versionId, title: "the served version has no reference profile (it was not trained here)" };
  const source = monitor.kind === "data_drift" ? profile.features : profile.predictions;
  const names = monitor.kind === "data_drift" && monitor.config.features ? monitor.config.features.filter((n) => n in source) : Object.keys(source);
  const specs: BinSpec[] = names.map((name) => {
    const at: ValuePath = monitor.kind === "data_drift" ? featurePath(name) : name === "score" ? { column: "outputs", keys: ["probabilities", 1] } : { column: "outputs", keys: [name] };
    return binSpecOf(name, source[name] as (typeof source)[string], at);
  });
  const window = await windowBinCounts(db, { endpointId: monitor.endpointId, start, end, variants: served.variants, specs });
  if (window.rows < monitor.config.minRows) return { status: "no_data", rows: window.rows, score: {}, findings: [], modelVersionId: served.versionId, title: `${window.rows} rows in the window, fewer than ${monitor.config.minRows}` };
  // A trailing baseline: the traffic callers got answers for in the `baselineMinutes` before the window, whichever version served it.
  const trailing = monitor.config.baseline === "trailing";
  const baselineMinutes = monitor.config.baselineMinutes ?? 1_440;
  const baseline = trailing ? await windowBinCounts(db, { endpointId: monitor.endpointId, start: new Date(start.getTime() - baselineMinutes * 60_000), end: start, variants: "answering", specs }) : null;
  if (baseline && baseline.rows < monitor.config.minRows) {
    return { status: "no_data", rows: window.rows, score: { baselineRows: baseline.rows }, findings: [], modelVersionId: served.versionId, title: `${baseline.rows} rows in the trailing baseline (${baselineMinutes} min before the window), fewer than ${monitor.config.minRows}` };
  }
  const findings = names.map((name) =>
    compareFeature(name, source[name] as (typeof source)[string], baseline ? baseline.rows : profile.rows, window.bins.get(name) ?? new Map(), monitor.config, baseline ? (baseline.bins.get(name) ?? new Map()) : undefined),
  );
  const drifted = findings.filter((f) => f.flagged);
  const share = findings.length ? drifted.length / findings.length : 0;
  const what = monitor.kind === "data_drift" ? "features" : "outputs";
  return {
    status: share >= monitor.config.driftShare ? "drift" : "ok",
    rows: window.rows,
    score: { driftedShare: share, drifted: drifted.length, checked: findings.length, ...(baseline ? { baselineRows: baseline.rows } : {}) },
    findings,
    modelVersionId: served.versionId,
    title: `${monitor.kind === "data_drift" ? "Data" : "Prediction"} drift on ${served.endpoint}${baseline ? ` vs the previous ${baselineWords(baselineMinutes)}` : ""}: ${drifted.map((f) => f.name).join(", ")} (${drifted.length} of ${findings.length} ${what})`,
  };
}

async function performanceOutcome(db: Database, store: ArtifactStore, monitor: MonitorRow, start: Date, end: Date): Promise<Outcome> {
  const served = await servedVersion(db, monitor.endpointId);
  if (!served) return { status: "no_data", rows: 0, score: {}, findings: [], modelVersionId: null, title: "nothing deployed" };
  const [version] = (await db.execute(sql`select signature, metrics from model_versions where id = ${served.versionId}`)) as unknown as { signature: { task?: string; labels?: string[] } | null; metrics: Record<string, number> }[];
  const task = version?.signature?.task ?? "binary";
  const score = (await referenceProfile(db, store, served.versionId))?.predictions.score;
  const result = await performanceFindings(db, {
    endpointId: monitor.endpointId,
    start,
    end,
    variants: served.variants,
    task,
    positive: version?.signature?.labels?.[1] ?? "1",
    testMetrics: version?.metrics ?? {},
    referenceEstimates: score?.kind === "numeric" ? estimatesFromScoreHistogram(score.histogram) : {},
    ...(score?.kind === "numeric" ? { scoreEdges: score.histogram.edges } : {}),
    maxDrop: monitor.config.maxMetricDrop,
    minLabels: monitor.config.minLabels,
  });
  if (result.rows < monitor.config.minRows || !result.findings.length) {
    return { status: "no_data", rows: result.rows, score: result.score, findings: result.findings, modelVersionId: served.versionId, title: `${result.rows} rows, ${result.labelled} labelled` };
  }
  const broken = result.findings.filter((f) => f.flagged);
  const show = (f: MonitorFinding) => `${f.name} ${f.statistic?.toFixed(3)} ${f.test === "max_rise" ? ">" : "<"} ${f.threshold.toFixed(3)}`;
  return {
    status: broken.length ? "breach" : "ok",
    rows: result.rows,
    score: result.score,
    findings: result.findings,
    modelVersionId: served.versionId,
    title: `Performance of ${served.endpoint}: ${broken.map(show).join(", ")}`,
  };
}

async function serviceOutcome(db: Database, monitor: MonitorRow, start: Date, end: Date): Promise<Outcome> {
  const [row] = (await db.execute(sql`
    select coalesce(sum(requests), 0)::int as requests, coalesce(sum(errors), 0)::int as errors,
           (select array_agg(s order by i) from (select i, sum(b)::int as s from endpoint_minute_stats m2, unnest(m2.latency_buckets) with ordinality u(b, i)
              where m2.endpoint_id = ${monitor.endpointId} and m2.minute >= ${start.toISOString()}::timestamptz and m2.minute < ${end.toISOString()}::timestamptz group by i) h) as buckets
      from endpoint_minute_stats m
     where m.endpoint_id = ${monitor.endpointId} and m.minute >= ${start.toISOString()}::timestamptz and m.minute < ${end.toISOString()}::timestamptz`)) as unknown as { requests: number; errors: number; buckets: number[] | null }[];
  const requests = row?.requests ?? 0;
  const errors = row?.errors ?? 0;
  const p99 = histogramQuantile(row?.buckets ?? [], 0.99);
  const c = monitor.config;
  const findings: MonitorFinding[] = [];
  if (c.minRequests !== undefined) findings.push({ name: "traffic", test: "min_requests", statistic: requests, threshold: c.minRequests, flagged: requests < c.minRequests });
  if (requests > 0 && c.maxErrorRate !== undefined) findings.push({ name: "error_rate", test: "max_error_rate", statistic: errors / requests, threshold: c.maxErrorRate, flagged: errors / requests > c.maxErrorRate });
  if (p99 !== null && c.maxP99Ms !== undefined) findings.push({ name: "p99_latency_ms", test: "max_p99_ms", statistic: p99, threshold: c.maxP99Ms, flagged: p99 > c.maxP99Ms });
  const broken = findings.filter((f) => f.flagged);
  return {
    status: !findings.length ? "no_data" : broken.length ? "breach" : "ok",
    rows: requests,
    score: { requests, errors, ...(p99 !== null ? { p99Ms: p99 } : {}) },
    findings,
    modelVersionId: null,
    title: broken.map((f) => `${f.name} ${f.name === "error_rate" ? `${((f.statistic ?? 0) * 100).toFixed(1)}%` : f.statistic?.toFixed(1)} vs ${f.threshold}`).join(", "),
  };
}

/** Evaluates one monitor now; answers its result row's id and status. */
export async function evaluateMonitor(db: Database, store: ArtifactStore, monitor: MonitorRow, now = new Date()): Promise<{ resultId: string; status: MonitorResultStatus }> {
  const start = new Date(now.getTime() - monitor.config.windowMinutes * 60_000);
  const outcome =
    monitor.kind === "service"
      ? await serviceOutcome(db, monitor, start, now)
      : monitor.kind === "performance"
        ? await performanceOutcome(db, store, monitor, start, now)
        : await driftOutcome(db, store, monitor, start, now);
  const [row] = await db
    .insert(monitorResults)
    .values({ orgId: monitor.orgId, monitorId: monitor.id, windowStart: start, windowEnd: now, status: outcome.status, rows: outcome.rows, score: outcome.score, findings: outcome.findings, modelVersionId: outcome.modelVersionId })
    .returning({ id: monitorResults.id });
  await db.update(monitors).set({ lastEvaluatedAt: now }).where(eq(monitors.id, monitor.id));
  const fingerprint = `monitor:${monitor.id}`;
  if (outcome.status === "drift" || outcome.status === "breach") {
    const [endpoint] = await db.select({ name: endpoints.name }).from(endpoints).where(eq(endpoints.id, monitor.endpointId));
    const [already] = await db.select({ id: alerts.id }).from(alerts).where(and(eq(alerts.orgId, monitor.orgId), eq(alerts.fingerprint, fingerprint), eq(alerts.status, "firing")));
    const alertId = await raiseAlert(db, {
      orgId: monitor.orgId,
      endpointId: monitor.endpointId,
      source: monitor.kind,
      fingerprint,
      severity: monitor.severity,
      title: outcome.title ? `${monitor.name}: ${outcome.title}` : `${monitor.name}: ${outcome.status}`,
      evidence: { monitor: monitor.name, endpoint: endpoint?.name, window: { start, end: now }, rows: outcome.rows, score: outcome.score, findings: outcome.findings.filter((f) => f.flagged), resultId: row?.id },
    });
    // A new firing (not a refresh) may start retraining, where a policy of this endpoint listens to this kind of alert.
    if (!already) await onAlertFired(db, { orgId: monitor.orgId, endpointId: monitor.endpointId, source: monitor.kind, alertId, title: outcome.title ?? monitor.name }, { store });
  } else if (outcome.status === "ok") {
    await resolveAlert(db, monitor.orgId, fingerprint);
  }
  return { resultId: row?.id ?? "", status: outcome.status };
}

/** Every enabled monitor whose time has come (never run, or last run at least `everyMinutes` ago). */
export async function evaluateDueMonitors(db: Database, store: ArtifactStore, now = new Date()): Promise<{ monitorId: string; status: MonitorResultStatus | "error"; error?: string }[]> {
  const due = (await db.execute(sql`
    select id from monitors where enabled and (last_evaluated_at is null or last_evaluated_at + make_interval(mins => (config->>'everyMinutes')::int) <= ${now.toISOString()}::timestamptz + interval '1 second')`)) as unknown as { id: string }[];
  const out: { monitorId: string; status: MonitorResultStatus | "error"; error?: string }[] = [];
  for (const { id } of due) {
    const [monitor] = await db.select().from(monitors).where(eq(monitors.id, id));
    if (!monitor) continue;
    try {
      out.push({ monitorId: id, status: (await evaluateMonitor(db, store, monitor, now)).status });
    } catch (error) {
      out.push({ monitorId: id, status: "error", error: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}
