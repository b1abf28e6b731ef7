import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/*
 * The serving process's Prometheus metrics (prom-client), scraped from `GET /metrics`. Labels
 * are org slug, endpoint name and variant: bounded by what an org deploys, never by request data.
 */

export type ServeMetrics = ReturnType<typeof createServeMetrics>;

export function createServeMetrics({ pending, models, deployments }: { pending: () => number; models: () => number; deployments: () => number }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "gantry_serve_" });
  const labelNames = ["org", "endpoint", "variant"] as const;
  const requests = new Counter({ name: "gantry_prediction_requests_total", help: "Prediction requests answered, by HTTP status", labelNames: [...labelNames, "status"], registers: [registry] });
  const rows = new Counter({ name: "gantry_prediction_rows_total", help: "Rows predicted", labelNames, registers: [registry] });
  const duration = new Histogram({
    name: "gantry_prediction_duration_seconds",
    help: "Time from the request's arrival to its answer",
    labelNames,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({ name: "gantry_prediction_log_pending_rows", help: "Prediction log rows waiting to be written", registers: [registry], collect() { this.set(pending()); } });
  new Gauge({ name: "gantry_serve_loaded_models", help: "Model versions loaded in this process", registers: [registry], collect() { this.set(models()); } });
  new Gauge({ name: "gantry_serve_endpoints", help: "Endpoints this process holds a deployment for", registers: [registry], collect() { this.set(deployments()); } });

  return {
    registry,
    record(labels: { org: string; endpoint: string; variant: string }, status: number, seconds: number, rowCount: number) {
      requests.inc({ ...labels, status: String(status) });
      duration.observe(labels, seconds);
      if (rowCount) rows.inc(labels, rowCount);
    },
  };
}
