"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";

import type { Job } from "@gantry/schema/job-contracts";
import { jobStatuses } from "@gantry/schema/jobs";
import type { JobKind, JobStatus } from "@gantry/schema/jobs";

import { versionHref } from "~/components/datasets/format";
import { Alert, Card, EmptyState } from "~/components/ui/card";
import { ProgressBar } from "~/components/ui/progress-bar";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { KeysetPager, useKeysetPages } from "../tracking/keyset-pager";
import { isActive, jobDataset, jobDuration, jobStatusTone, jobTitle, progressText, shortId } from "./job-format";
import { JobStatusBadge } from "./job-status-badge";
import { jobHref } from "./links";
import { useNow } from "./use-now";

const PAGE_SIZE = 50;
/** While any job on the page is queued or running, the list refreshes this often. */
const LIVE_REFRESH_MS = 2000;

type StatusFilter = "" | "active" | JobStatus;

const statusesOf = (filter: StatusFilter): JobStatus | JobStatus[] | undefined => (filter === "" ? undefined : filter === "active" ? ["queued", "running"] : filter);

function JobRow({ org, job, now }: { org: string; job: Job; now: number }) {
  const dataset = jobDataset(job);
  const tone = jobStatusTone[job.status];
  return (
    <tr className="hover:bg-slate-50">
      <Td className="max-w-xs font-medium">
        <Link className="text-brand-600 hover:underline" href={jobHref(org, job.id)}>
          {jobTitle(job)}
        </Link>
        <p className="font-mono text-xs font-normal text-slate-500">
          {shortId(job.id)}
          {job.scheduleId ? " · scheduled" : ""}
          {job.parentJobId ? " · sweep trial" : ""}
        </p>
      </Td>
      <Td className="text-slate-600">{job.kind === "train" ? "training" : "sweep"}</Td>
      <Td>
        <JobStatusBadge status={job.status} cancelling={job.cancelRequested} />
      </Td>
      <Td className="whitespace-nowrap">
        {dataset ? (
          <Link className="text-brand-600 hover:underline" href={versionHref(org, dataset.name, dataset.version)}>
            {dataset.name}@{dataset.version}
          </Link>
        ) : (
          "—"
        )}
      </Td>
      <Td className="w-44">
        <ProgressBar value={job.status === "succeeded" ? 1 : job.progress.fraction} label={`Progress of ${jobTitle(job)}`} size="sm" tone={tone === "blue" ? "brand" : tone} />
        <p className="mt-1 text-xs text-slate-500">{progressText(job)}</p>
      </Td>
      <Td className="whitespace-nowrap text-slate-600">{job.createdAt.toLocaleString()}</Td>
      <Td className="whitespace-nowrap tabular-nums text-slate-600">{jobDuration(job, now)}</Td>
    </tr>
  );
}

/** The org's jobs, newest first; refreshes itself while any of them is queued or running. */
export function JobList({ org }: { org: string }) {
  const trpc = useTRPC();
  const [status, setStatus] = useState<StatusFilter>("");
  const [kind, setKind] = useState<"" | JobKind>("");
  const [trials, setTrials] = useState(false);
  const pages = useKeysetPages(JSON.stringify([status, kind, trials]));
  const list = useQuery({
    ...trpc.job.list.queryOptions({ status: statusesOf(status), kind: kind || undefined, topLevel: trials ? undefined : true, limit: PAGE_SIZE, cursor: pages.pageToken }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some(isActive) ? LIVE_REFRESH_MS : false),
  });
  const jobs = list.data?.items ?? [];
  const live = jobs.some(isActive);
  const now = useNow(live);
  const select = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

  return (
    <Card
      title="Jobs"
      description={live ? "Refreshing while jobs are active." : undefined}
      actions={
        <div className="flex flex-wrap items-center gap-3">
          <label className="flex items-center gap-2 text-sm text-slate-700">
            Status
            <select className={select} value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
              <option value="">all</option>
              <option value="active">active</option>
              {jobStatuses.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            Kind
            <select className={select} value={kind} onChange={(e) => setKind(e.target.value as "" | JobKind)}>
              <option value="">all</option>
              <option value="train">training</option>
              <option value="sweep">sweep</option>
            </select>
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={trials} onChange={(e) => setTrials(e.target.checked)} />
            Show sweep trials
          </label>
        </div>
      }
    >
      {list.error ? <Alert>{errorInfo(list.error).message}</Alert> : null}
      {list.isPending ? <EmptyState>Loading jobs…</EmptyState> : null}
      {list.isSuccess && jobs.length === 0 ? <EmptyState>{status || kind ? "No jobs match these filters." : "No jobs yet. Start one from a dataset version (Train a model) or with New training job."}</EmptyState> : null}
      {jobs.length ? (
        <div aria-busy={list.isPlaceholderData || undefined} className={list.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}>
          <Table head={["Job", "Kind", "Status", "Dataset", "Progress", "Created", "Duration"]} caption="Jobs">
            {jobs.map((j) => (
              <JobRow key={j.id} org={org} job={j} now={now} />
            ))}
          </Table>
        </div>
      ) : null}
      <KeysetPager label="Job pages" page={pages.page} nextPageToken={list.data?.nextCursor} onNext={pages.next} onPrevious={pages.previous} busy={list.isFetching} />
    </Card>
  );
}
