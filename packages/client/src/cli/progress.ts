import cliProgress from "cli-progress";

import type { Job } from "@gantry/schema/job-contracts";

import type { Io } from "./output";

export const formatDuration = (ms: number | undefined): string => {
  if (ms === undefined || !Number.isFinite(ms)) return "—";
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
};

/** Non-finite metrics come back from JSON as null. */
export const formatNumber = (v: number | null | undefined): string => (typeof v !== "number" ? "—" : Number.isInteger(v) ? String(v) : v.toPrecision(4));

/** `epoch 3/10 loss=0.41 val_loss=0.44 eta 12s` */
export const describeProgress = (job: Job): string => {
  const p = job.progress;
  if (p.epoch === undefined) return job.status;
  const metrics = Object.entries(p.metrics ?? {})
    .filter(([k]) => k === "loss" || k === "val_loss")
    .map(([k, v]) => `${k}=${formatNumber(v)}`);
  return [`epoch ${p.epoch}/${p.epochs ?? "?"}`, ...metrics, ...(job.status === "running" ? [`eta ${formatDuration(p.etaMs)}`] : [])].join(" ");
};

/**
 * Shows a training job's progress on stderr: a bar (epoch n/N, loss, ETA) on a terminal, plain
 * lines otherwise (one per change), so logs and CI output stay readable.
 */
export function progressReporter(io: Io): { update: (job: Job) => void; stop: () => void } {
  if (io.errTty) {
    const bar = new cliProgress.SingleBar(
      { stream: io.errTty, format: "{status} [{bar}] epoch {value}/{total} | loss {loss} | ETA {eta_job}", hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (job) => {
        const p = job.progress;
        const payload = { status: job.status.padEnd(9), loss: formatNumber(p.metrics?.loss), eta_job: formatDuration(p.etaMs) };
        if (!started) {
          bar.start(p.epochs ?? 1, p.epoch ?? 0, payload);
          started = true;
        } else {
          if (p.epochs !== undefined) bar.setTotal(p.epochs);
          bar.update(p.epoch ?? 0, payload);
        }
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = "";
  return {
    update: (job) => {
      const line = describeProgress(job);
      if (line !== last) io.err(line);
      last = line;
    },
    stop: () => undefined,
  };
}
