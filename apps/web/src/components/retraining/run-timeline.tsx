import Link from "next/link";

import type { RetrainRun } from "@gantry/schema/monitoring-contracts";

import { EmptyState } from "~/components/ui/card";

import { timelineLink } from "./links";
import { RunStatus } from "./run-status";

const stepTone: Record<string, string> = { trigger: "bg-amber-500", training: "bg-brand-600", trained: "bg-brand-600", gate: "bg-violet-500", rollout: "bg-amber-500", promoted: "bg-emerald-500", rolled_back: "bg-red-500" };

/** The automation timeline: each run (newest first) with its status, and each of its steps with time, message and links. */
export function RunTimeline({ org, model, runs }: { org: string; model: string; runs: RetrainRun[] }) {
  if (!runs.length) return <EmptyState>No runs yet. A run starts on a trigger of the policy, or with Run now.</EmptyState>;
  return (
    <ol className="space-y-6" aria-label="Retraining runs">
      {runs.map((run) => (
        <li key={run.id} className="rounded-md border border-slate-200" data-testid="retrain-run">
          <header className="flex flex-wrap items-center gap-3 border-b border-slate-100 bg-slate-50 px-4 py-2 text-sm">
            <span data-testid="retrain-run-status">
              <RunStatus status={run.status} />
            </span>
            <span className="font-medium text-slate-900">{run.trigger === "manual" ? "started by hand" : `on ${run.trigger.replace("_", " ")}`}</span>
            <span className="text-slate-500">{run.createdAt.toLocaleString()}</span>
            {run.finishedAt ? <span className="text-slate-500">finished {run.finishedAt.toLocaleString()}</span> : null}
            {run.challengerVersion !== null ? (
              <span className="text-slate-600">
                challenger v{run.challengerVersion}
                {run.championVersion !== null ? ` vs champion v${run.championVersion}` : ""}
              </span>
            ) : null}
          </header>
          <ol className="relative space-y-3 px-4 py-3" aria-label={`Timeline of the run started ${run.createdAt.toLocaleString()}`}>
            {run.timeline.map((e, i) => (
              <li key={i} className="flex gap-3 text-sm" data-testid="timeline-event">
                <span className={`mt-1.5 size-2.5 shrink-0 rounded-full ${stepTone[e.step] ?? "bg-slate-400"}`} aria-hidden />
                <div className="min-w-0">
                  <p>
                    <time className="mr-2 whitespace-nowrap text-xs text-slate-500" dateTime={e.at}>
                      {new Date(e.at).toLocaleTimeString()}
                    </time>
                    <span className="mr-2 font-semibold text-slate-900">{e.step}</span>
                    <span className="text-slate-700">{e.message}</span>
                  </p>
                  {e.links ? (
                    <p className="mt-0.5 flex flex-wrap gap-3 text-xs">
                      {Object.entries(e.links).map(([key, value]) => {
                        const link = timelineLink(org, model, key, value);
                        return link ? (
                          <Link key={key} className="text-brand-600 hover:underline" href={link.href}>
                            {link.label} →
                          </Link>
                        ) : null;
                      })}
                    </p>
                  ) : null}
                </div>
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ol>
  );
}
