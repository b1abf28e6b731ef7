import type { Job } from "@gantry/schema/job-contracts";

import { Card } from "~/components/ui/card";
import { ProgressBar } from "~/components/ui/progress-bar";

import { formatMetric } from "../tracking/format";
import { formatEta, jobStatusTone, progressText } from "./job-format";

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="min-w-0 rounded-md bg-slate-50 px-3 py-2">
      <dt className="truncate font-mono text-xs text-slate-500">{label}</dt>
      <dd className="font-mono text-base font-semibold tabular-nums text-slate-900">{value}</dd>
    </div>
  );
}

function Figures({ values, label }: { values: Record<string, number>; label: string }) {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  return (
    <dl aria-label={label} className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
      {entries.map(([k, v]) => (
        <Figure key={k} label={k} value={formatMetric(v)} />
      ))}
    </dl>
  );
}

const statusLine: Record<Job["status"], string> = {
  queued: "Waiting for a worker to take it.",
  running: "Running.",
  succeeded: "Done.",
  failed: "Stopped by an error.",
  cancelled: "Cancelled.",
};

/** Epoch n/N (or trials done), a bar, the time left, and the last epoch's figures. */
export function JobProgressCard({ job, now }: { job: Job; now: number }) {
  const p = job.progress;
  const fraction = job.status === "succeeded" ? 1 : p.fraction;
  // The ETA was estimated at the last update; count down from there.
  const eta = job.status === "running" && p.etaMs !== undefined ? formatEta(p.etaMs - (now - job.updatedAt.getTime())) : null;
  const tone = jobStatusTone[job.status];
  return (
    <Card title="Progress" description={job.cancelRequested && job.status === "running" ? "Cancelling: the worker stops at its next batch." : statusLine[job.status]}>
      <div className="space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
          <span className="font-medium text-slate-900" data-testid="job-progress-text">
            {progressText(job)}
          </span>
          <span className="text-slate-500">{eta ?? `${Math.round(fraction * 100)}%`}</span>
        </div>
        <ProgressBar value={fraction} label="Job progress" tone={tone === "blue" ? "brand" : tone} />
      </div>
      {p.metrics && Object.keys(p.metrics).length ? (
        <div className="mt-4">
          <p className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">{job.kind === "train" ? `Epoch ${p.epoch ?? "—"}` : "Latest"}</p>
          <Figures values={p.metrics} label="Latest epoch metrics" />
        </div>
      ) : null}
    </Card>
  );
}

const isRecordOfNumbers = (v: unknown): v is Record<string, number> => typeof v === "object" && v !== null && Object.values(v).every((x) => typeof x === "number");

/** A finished training job's evaluation on the test split, and how the rows were split. */
export function TestMetrics({ job }: { job: Job }) {
  const result = job.result ?? {};
  const metrics = isRecordOfNumbers(result.testMetrics) ? result.testMetrics : null;
  if (!metrics || !Object.keys(metrics).length) return null;
  const split = isRecordOfNumbers(result.splitSizes) ? result.splitSizes : null;
  const facts = [
    typeof result.epochsRun === "number" ? `${result.epochsRun} epochs run` : null,
    typeof result.bestEpoch === "number" ? `best epoch ${result.bestEpoch}` : null,
    split ? `split ${split.train ?? 0} train / ${split.validation ?? 0} validation / ${split.test ?? 0} test rows` : null,
    typeof result.backend === "string" ? `${result.backend} backend` : null,
  ].filter(Boolean);
  return (
    <Card title="Test metrics" description={facts.join(" · ")}>
      <Figures values={metrics} label="Test metrics" />
    </Card>
  );
}
