import type { Job } from "@gantry/schema/job-contracts";
import type { JobStatus } from "@gantry/schema/jobs";

import { formatDuration } from "../tracking/format";

/** How jobs are shown: status tones, what a job trains on, how long it took or has left. */

export const jobStatusTone: Record<JobStatus, "slate" | "green" | "amber" | "red" | "blue"> = {
  queued: "slate",
  running: "blue",
  succeeded: "green",
  failed: "red",
  cancelled: "amber",
};

/** The distinguishing end of an id: ids are UUIDv7, whose first digits are the creation time, shared by ids made together. */
export const shortId = (id: string): string => id.slice(-8);

export const isActive = (job: Pick<Job, "status">): boolean => job.status === "queued" || job.status === "running";

type DatasetPin = { name?: unknown; version?: unknown };

/** The spec fields the portal reads, from a train job's spec or a sweep's base spec. */
function trainingSpecOf(job: Pick<Job, "kind" | "spec">): Record<string, unknown> {
  const spec = job.spec;
  return job.kind === "sweep" && spec.base && typeof spec.base === "object" ? (spec.base as Record<string, unknown>) : spec;
}

/** `name@version` of the dataset the job reads (pinned at submission). */
export function jobDataset(job: Pick<Job, "kind" | "spec">): { name: string; version: number | "latest" } | null {
  const dataset = trainingSpecOf(job).dataset as DatasetPin | undefined;
  if (!dataset || typeof dataset.name !== "string") return null;
  return { name: dataset.name, version: typeof dataset.version === "number" ? dataset.version : "latest" };
}

export const jobTarget = (job: Pick<Job, "kind" | "spec">): string | null => {
  const target = trainingSpecOf(job).target;
  return typeof target === "string" ? target : null;
};

/** A line that says what the job is: "Sweep: lr × layers on churn@2" or "Train churned on churn@2". */
export function jobTitle(job: Pick<Job, "kind" | "spec">): string {
  const spec = job.spec;
  if (job.kind === "sweep") return typeof spec.name === "string" && spec.name ? spec.name : "Sweep";
  if (typeof spec.runName === "string" && spec.runName) return spec.runName;
  const target = jobTarget(job);
  return target ? `Predict ${target}` : "Training job";
}

/** Run time so far (running) or in all (finished); "—" before it starts. */
export function jobDuration(job: Pick<Job, "startedAt" | "finishedAt" | "status">, now: number): string {
  if (!job.startedAt) return "—";
  const end = job.finishedAt?.getTime() ?? (job.status === "running" ? now : null);
  return formatDuration(job.startedAt.getTime(), end);
}

/** What the progress bar says: epochs for training, finished trials for a sweep. */
export function progressText(job: Pick<Job, "kind" | "status" | "progress">): string {
  const p = job.progress;
  if (job.kind === "sweep" && p.total !== undefined) return `${p.done ?? 0}/${p.total} trials`;
  if (p.epochs !== undefined) return `epoch ${p.epoch ?? 0}/${p.epochs}`;
  return job.status === "queued" ? "waiting for a worker" : `${Math.round(p.fraction * 100)}%`;
}

export const formatEta = (ms: number | undefined): string | null => (ms === undefined || ms <= 0 ? null : `about ${formatDuration(0, Math.max(ms, 1000))} left`);

/** Per-epoch metrics, each with its validation twin in the same chart (`loss` with `val_loss`). */
export function groupCurves(keys: string[]): { name: string; keys: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const key of [...keys].sort()) {
    // Test metrics are one point at the end: the job shows them as figures, not curves.
    if (key.startsWith("test_")) continue;
    const base = key.startsWith("val_") ? key.slice(4) : key;
    groups.set(base, [...(groups.get(base) ?? []), key]);
  }
  return [...groups.entries()].map(([name, list]) => ({ name, keys: list.sort((a, b) => Number(a.startsWith("val_")) - Number(b.startsWith("val_"))) }));
}
