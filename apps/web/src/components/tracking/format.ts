import type { RunStatus } from "@gantry/schema/tracking";

/** How tracking values are shown: times, durations, metric values and run statuses. */

export const formatTime = (ms: number | null | undefined): string => (ms ? new Date(ms).toLocaleString() : "—");

export function formatDuration(start: number, end: number | null | undefined): string {
  if (!end || end < start) return "—";
  const ms = end - start;
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h ${m % 60}m` : `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Metric values: integers as they are, others to 5 significant digits; NaN and ±∞ spelled out. */
export function formatMetric(value: number | undefined): string {
  if (value === undefined) return "—";
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(5)));
}

export const formatBytes = (n: number | undefined): string => {
  if (n === undefined) return "";
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
};

export const statusTone: Record<RunStatus, "slate" | "green" | "amber" | "red" | "blue"> = {
  RUNNING: "blue",
  SCHEDULED: "slate",
  FINISHED: "green",
  FAILED: "red",
  KILLED: "amber",
};

/** MLflow's own bookkeeping tags (`mlflow.user`, `mlflow.source.name` …). */
export const isSystemTag = (key: string): boolean => key.startsWith("mlflow.");
