import type { Experiment, Metric, Run, RunInfo } from "@gantry/schema";

/* MLflow JSON shapes: snake_case names, enums by name, ms timestamps as numbers, unset fields omitted. */

/** Protobuf JSON spells non-finite doubles as strings. */
export const wireDouble = (v: number): number | string => (Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : v);

export const wireMetric = (m: Metric) => ({ key: m.key, value: wireDouble(m.value), timestamp: m.timestamp, step: m.step });

export const wireExperiment = (e: Experiment) => ({
  experiment_id: e.id,
  name: e.name,
  artifact_location: e.artifactLocation,
  lifecycle_stage: e.lifecycleStage,
  last_update_time: e.lastUpdateTime,
  creation_time: e.creationTime,
  ...(e.tags.length ? { tags: e.tags } : {}),
});

export const wireRunInfo = (i: RunInfo) => ({
  run_id: i.id,
  run_uuid: i.id,
  run_name: i.name,
  experiment_id: i.experimentId,
  ...(i.userId ? { user_id: i.userId } : {}),
  status: i.status,
  start_time: i.startTime,
  ...(i.endTime !== null ? { end_time: i.endTime } : {}),
  artifact_uri: i.artifactUri,
  lifecycle_stage: i.lifecycleStage,
});

export const wireRun = (r: Run) => ({
  info: wireRunInfo(r.info),
  data: {
    ...(r.data.metrics.length ? { metrics: r.data.metrics.map(wireMetric) } : {}),
    ...(r.data.params.length ? { params: r.data.params } : {}),
    ...(r.data.tags.length ? { tags: r.data.tags } : {}),
  },
  inputs: r.inputs.datasetInputs.length
    ? {
        dataset_inputs: r.inputs.datasetInputs.map((d) => ({
          ...(d.tags.length ? { tags: d.tags } : {}),
          dataset: {
            name: d.dataset.name,
            digest: d.dataset.digest,
            source_type: d.dataset.sourceType,
            source: d.dataset.source,
            ...(d.dataset.schema ? { schema: d.dataset.schema } : {}),
            ...(d.dataset.profile ? { profile: d.dataset.profile } : {}),
          },
        })),
      }
    : {},
});
