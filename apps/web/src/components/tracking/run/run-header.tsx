import Link from "next/link";

import type { Experiment, Run } from "@gantry/schema/tracking-contracts";

import { PageHeader } from "~/components/ui/card";
import { Fact, Facts } from "~/components/ui/facts";

import { formatDuration, formatTime } from "../format";
import { StatusBadge } from "../status-badge";

export function RunHeader({ org, run, experiment }: { org: string; run: Run; experiment: Experiment | undefined }) {
  const { info } = run;
  const experimentHref = `/o/${org}/experiments/${info.experimentId}`;
  // Runs of training jobs carry their job's id.
  const jobId = run.data.tags.find((t) => t.key === "gantry.job_id")?.value;
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
      <Facts>
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
        {jobId ? (
          <Fact label="Job">
            <Link href={`/o/${org}/jobs/${jobId}`} className="text-brand-600 hover:underline">
              {jobId.slice(0, 8)}
            </Link>
          </Fact>
        ) : null}
      </Facts>
    </>
  );
}
