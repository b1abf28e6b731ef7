import Link from "next/link";
import type { ReactNode } from "react";

import type { Experiment, Run } from "@gantry/schema/tracking-contracts";

import { PageHeader } from "~/components/ui/card";

import { formatDuration, formatTime } from "../format";
import { StatusBadge } from "../status-badge";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm break-words text-slate-900">{children}</dd>
    </div>
  );
}

export function RunHeader({ org, run, experiment }: { org: string; run: Run; experiment: Experiment | undefined }) {
  const { info } = run;
  const experimentHref = `/o/${org}/experiments/${info.experimentId}`;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={experimentHref} className="text-brand-600 hover:underline">
          ← {experiment?.name ?? "Experiment"}
        </Link>
      </p>
      <PageHeader
        title={info.name || info.id}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge status={info.status} />
            <code className="text-xs text-slate-500">{info.id}</code>
          </span>
        }
      />
      <dl className="mb-6 grid grid-cols-2 gap-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm sm:grid-cols-3 xl:grid-cols-4">
        <Fact label="Experiment">
          <Link href={experimentHref} className="text-brand-600 hover:underline">
            {experiment?.name ?? info.experimentId}
          </Link>
        </Fact>
        <Fact label="Started">{formatTime(info.startTime)}</Fact>
        <Fact label="Ended">{info.endTime ? formatTime(info.endTime) : info.status === "RUNNING" ? "running" : "—"}</Fact>
        <Fact label="Duration">{formatDuration(info.startTime, info.endTime)}</Fact>
        <Fact label="User">{info.userId ?? "—"}</Fact>
        <Fact label="Source">{info.source ?? "—"}</Fact>
        <Fact label="Parent run">
          {info.parentRunId ? (
            <Link href={`/o/${org}/runs/${info.parentRunId}`} className="text-brand-600 hover:underline">
              {info.parentRunId.slice(0, 8)}
            </Link>
          ) : (
            "—"
          )}
        </Fact>
      </dl>
    </>
  );
}
