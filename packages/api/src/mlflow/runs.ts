import { GantryError, trackingLimits, ZRunStatus, ZViewType } from "@gantry/schema";

import { parseInput } from "../parse";
import { getMetricChart, getMetricHistory } from "../tracking/history";
import { logInputs } from "../tracking/inputs";
import { loggedModelRow } from "../tracking/logged-models";
import { logBatch, logMetric, logParam, setRunTag } from "../tracking/logging";
import { createRun, deleteRunTag, getRun, runRow, setRunLifecycle, updateRun } from "../tracking/runs";
import { searchRuns } from "../tracking/search-runs";
import type { Message } from "./request";
import type { Routes } from "./routes";
import { wireMetric, wireRun, wireRunInfo } from "./wire";

const OUTPUTS_TAG = "mlflow.loggedModels.outputs";

const pairs = (m: Message, field: string) => m.objects(field).map((t) => ({ key: t.key as string, value: t.value as string }));

const metricOf = (o: Record<string, unknown>) => ({
  key: o.key as string,
  value: o.value as number,
  timestamp: o.timestamp as number,
  step: (o.step ?? 0) as number,
});

const ok = async (p: Promise<unknown>) => {
  await p;
  return {};
};

export const runRoutes: Routes = {
  "POST runs/create": {
    scope: "write",
    handle: async (ctx, m) => {
      const run = await createRun(ctx, {
        experimentId: m.string("experiment_id") ?? "0",
        name: m.string("run_name"),
        startTime: m.int("start_time"),
        userId: m.string("user_id"),
        tags: pairs(m, "tags"),
        source: "mlflow",
      });
      return { run: wireRun(run) };
    },
  },
  "POST runs/update": {
    scope: "write",
    handle: async (ctx, m) => {
      const status = m.string("status");
      const info = await updateRun(ctx, m.runId(), { status: status ? parseInput(ZRunStatus, status) : undefined, endTime: m.int("end_time"), name: m.string("run_name") });
      return { run_info: wireRunInfo(info) };
    },
  },
  "POST runs/delete": { scope: "write", handle: (ctx, m) => ok(setRunLifecycle(ctx, m.string("run_id", { required: true }), "deleted")) },
  "POST runs/restore": { scope: "write", handle: (ctx, m) => ok(setRunLifecycle(ctx, m.string("run_id", { required: true }), "active")) },
  "GET runs/get": { scope: "read", handle: async (ctx, m) => ({ run: wireRun(await getRun(ctx, m.runId())) }) },
  "POST runs/search": {
    scope: "read",
    handle: async (ctx, m) => {
      const maxResults = m.int("max_results") ?? 1000;
      if (maxResults < 1 || maxResults > trackingLimits.searchRunsMax) {
        throw new GantryError("INVALID_INPUT", `Invalid value ${maxResults} for parameter 'max_results' supplied: it must be between 1 and ${trackingLimits.searchRunsMax}.`, { field: "max_results" });
      }
      const experimentIds = m.strings("experiment_ids");
      // MLflow answers an empty list with no runs; our service wants at least one experiment.
      if (experimentIds.length === 0) return {};
      const { runs: found, nextPageToken } = await searchRuns(ctx, {
        experimentIds,
        filter: m.string("filter"),
        orderBy: m.strings("order_by"),
        maxResults,
        pageToken: m.string("page_token"),
        viewType: parseInput(ZViewType, m.string("run_view_type") ?? "ACTIVE_ONLY"),
      });
      return { ...(found.length ? { runs: found.map(wireRun) } : {}), ...(nextPageToken ? { next_page_token: nextPageToken } : {}) };
    },
  },
  "POST runs/log-metric": {
    scope: "write",
    handle: (ctx, m) => ok(logMetric(ctx, m.runId(), metricOf({ key: m.raw.key, value: m.raw.value, timestamp: m.raw.timestamp, step: m.raw.step }))),
  },
  "POST runs/log-parameter": {
    scope: "write",
    handle: (ctx, m) => ok(logParam(ctx, m.runId(), { key: m.string("key", { required: true }), value: m.string("value") ?? "" })),
  },
  "POST runs/set-tag": {
    scope: "write",
    handle: (ctx, m) => ok(setRunTag(ctx, m.runId(), { key: m.string("key", { required: true }), value: m.string("value") ?? "" })),
  },
  "POST runs/delete-tag": { scope: "write", handle: (ctx, m) => ok(deleteRunTag(ctx, m.string("run_id", { required: true }), m.string("key", { required: true }))) },
  "POST runs/log-batch": {
    scope: "write",
    handle: (ctx, m) => ok(logBatch(ctx, m.string("run_id", { required: true }), { metrics: m.objects("metrics").map(metricOf), params: pairs(m, "params"), tags: pairs(m, "tags") })),
  },
  "POST runs/log-inputs": {
    scope: "write",
    handle: (ctx, m) =>
      ok(
        logInputs(
          ctx,
          m.string("run_id", { required: true }),
          m.objects("datasets").map((d) => {
            const ds = (d.dataset ?? {}) as Record<string, unknown>;
            return {
              tags: (d.tags ?? []) as { key: string; value: string }[],
              dataset: { name: ds.name as string, digest: ds.digest as string, sourceType: ds.source_type as string, source: ds.source as string, schema: ds.schema as string | undefined, profile: ds.profile as string | undefined },
            };
          }),
        ),
      ),
  },
  // Experimental in MLflow; 2.x clients call it after uploading a model and ignore failures.
  "POST runs/log-model": {
    scope: "write",
    handle: async (ctx, m) => {
      const run = await runRow(ctx, m.string("run_id", { required: true }));
      const modelJson = m.string("model_json", { required: true });
      await setRunTag(ctx, run.id, { key: "mlflow.log-model.history", value: modelJson.slice(0, trackingLimits.tagValueLength) });
      return {};
    },
  },
  // MLflow 3: models a run produced. Kept as the run's `mlflow.loggedModels.outputs` tag (a JSON list).
  "POST runs/outputs": {
    scope: "write",
    handle: async (ctx, m) => {
      const run = await runRow(ctx, m.string("run_id", { required: true }));
      const outputs = await Promise.all(
        m.objects("models").map(async (o) => ({ model_id: (await loggedModelRow(ctx, String(o.model_id ?? ""))).id, step: Number(o.step ?? 0) })),
      );
      const current = (await getRun(ctx, run.id)).data.tags.find((t) => t.key === OUTPUTS_TAG)?.value;
      const merged = [...(current ? (JSON.parse(current) as { model_id: string; step: number }[]) : []), ...outputs];
      await setRunTag(ctx, run.id, { key: OUTPUTS_TAG, value: JSON.stringify(merged) });
      return {};
    },
  },
  "GET metrics/get-history": {
    scope: "read",
    handle: async (ctx, m) => {
      const { metrics, nextPageToken } = await getMetricHistory(ctx, { runId: m.runId(), key: m.string("metric_key", { required: true }), maxResults: m.int("max_results"), pageToken: m.string("page_token") });
      return { ...(metrics.length ? { metrics: metrics.map(wireMetric) } : {}), ...(nextPageToken ? { next_page_token: nextPageToken } : {}) };
    },
  },
  "GET metrics/get-history-bulk-interval": {
    scope: "read",
    handle: async (ctx, m) => {
      const runIds = m.strings("run_ids");
      if (runIds.length === 0 || runIds.length > 100) throw new GantryError("INVALID_INPUT", "run_ids must list 1 to 100 runs", { field: "run_ids" });
      const maxResults = m.int("max_results") ?? 320;
      if (maxResults < 1 || maxResults > 2500) throw new GantryError("INVALID_INPUT", "max_results must be between 1 and 2500", { field: "max_results" });
      const key = m.string("metric_key", { required: true });
      const startStep = m.int("start_step");
      const endStep = m.int("end_step");
      const series = await Promise.all(runIds.map(async (runId) => ({ runId, chart: await getMetricChart(ctx, { runId, key, points: Math.max(10, Math.floor(maxResults / 2)), startStep, endStep }) })));
      return { metrics: series.flatMap(({ runId, chart }) => chart.points.slice(0, maxResults).map((p) => ({ ...wireMetric(p), run_id: runId }))) };
    },
  },
};
