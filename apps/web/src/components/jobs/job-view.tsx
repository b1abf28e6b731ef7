"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import type { Job } from "@gantry/schema/job-contracts";

import { versionHref } from "~/components/datasets/format";
import { BackLink } from "~/components/ui/back-link";
import { Alert, EmptyState, PageHeader } from "~/components/ui/card";
import { Fact, Facts } from "~/components/ui/facts";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { JobActions } from "./job-actions";
import { JobCurves } from "./job-curves";
import { isActive, jobDataset, jobDuration, jobTarget, jobTitle, shortId } from "./job-format";
import { JobLogs } from "./job-logs";
import { JobProgressCard, TestMetrics } from "./job-progress";
import { JobStatusBadge } from "./job-status-badge";
import { jobHref, jobsHref } from "./links";
import { SweepDetail } from "./sweep/sweep-detail";
import { useNow } from "./use-now";

/** The job refreshes this often while it is queued or running. */
const LIVE_MS = 1500;

function JobFacts({ org, job, now }: { org: string; job: Job; now: number }) {
  const dataset = jobDataset(job);
  const target = jobTarget(job);
  const task = typeof job.result?.task === "string" ? job.result.task : typeof job.spec.task === "string" ? job.spec.task : "auto";
  return (
    <Facts label="Job facts">
      <Fact label="Dataset">
        {dataset ? (
          <Link href={versionHref(org, dataset.name, dataset.version)} className="text-brand-600 hover:underline">
            {dataset.name}@{dataset.version}
          </Link>
        ) : (
          "—"
        )}
      </Fact>
      <Fact label="Target">{target ? <code className="text-xs">{target}</code> : "—"}</Fact>
      {job.kind === "train" ? <Fact label="Task">{task}</Fact> : null}
      <Fact label={job.kind === "sweep" ? "Parent run" : "Run"}>
        {job.runId ? (
          <Link href={`/o/${org}/runs/${job.runId}`} className="text-brand-600 hover:underline">
            Open run {shortId(job.runId)}
          </Link>
        ) : (
          "not created yet"
        )}
      </Fact>
      <Fact label="Created">{job.createdAt.toLocaleString()}</Fact>
      <Fact label="Started">{job.startedAt?.toLocaleString() ?? "—"}</Fact>
      <Fact label="Finished">{job.finishedAt?.toLocaleString() ?? "—"}</Fact>
      <Fact label="Duration">{jobDuration(job, now)}</Fact>
      {job.attempts > 1 ? <Fact label="Attempts">{job.attempts}</Fact> : null}
      {job.parentJobId ? (
        <Fact label="Sweep">
          <Link href={jobHref(org, job.parentJobId)} className="text-brand-600 hover:underline">
            {shortId(job.parentJobId)}
          </Link>
        </Fact>
      ) : null}
      {job.scheduleId ? (
        <Fact label="Schedule">
          <Link href={`/o/${org}/schedules#schedule-${job.scheduleId}`} className="text-brand-600 hover:underline">
            {shortId(job.scheduleId)}
          </Link>
        </Fact>
      ) : null}
    </Facts>
  );
}

/** A job, live while it is active: progress, curves (training) or trials (sweep), and its log. */
export function JobView({ org, jobId }: { org: string; jobId: string }) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.job.get.queryOptions({ jobId }), refetchInterval: (q) => (q.state.data && isActive(q.state.data) ? LIVE_MS : false) });
  const job = query.data;
  const live = job ? isActive(job) : false;
  const now = useNow(live);
  if (query.error) {
    return (
      <>
        <BackLink href={jobsHref(org)}>Jobs</BackLink>
        <Alert>{errorInfo(query.error).message}</Alert>
      </>
    );
  }
  if (!job) return <EmptyState>Loading job…</EmptyState>;
  return (
    <>
      <BackLink href={job.parentJobId ? jobHref(org, job.parentJobId) : jobsHref(org)}>{job.parentJobId ? "Sweep" : "Jobs"}</BackLink>
      <PageHeader
        title={jobTitle(job)}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span data-testid="job-status">
              <JobStatusBadge status={job.status} cancelling={job.cancelRequested} />
            </span>
            <span>{job.kind === "train" ? "Training job" : "Sweep"}</span>
            <code className="text-xs text-slate-500">{job.id}</code>
          </span>
        }
        actions={<JobActions org={org} job={job} />}
      />
      {job.status === "failed" && job.error ? (
        <div className="mb-6">
          <Alert>
            <span className="font-medium">Failed: </span>
            {job.error}
          </Alert>
        </div>
      ) : null}
      <JobFacts org={org} job={job} now={now} />
      <div className="space-y-6">
        <JobProgressCard job={job} now={now} />
        {job.kind === "train" ? (
          <>
            <TestMetrics job={job} />
            <JobCurves runId={job.runId} live={live} />
          </>
        ) : (
          <SweepDetail org={org} job={job} live={live} />
        )}
        <JobLogs jobId={job.id} active={live} />
      </div>
    </>
  );
}
