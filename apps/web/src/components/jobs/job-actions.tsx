"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

import type { Job } from "@gantry/schema/job-contracts";

import { Alert } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { isActive } from "./job-format";
import { jobHref } from "./links";

/** Cancel (queued or running) and retry (failed or cancelled training jobs: a new job, the same pinned spec). */
export function JobActions({ org, job }: { org: string; job: Job }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(trpc.job.pathFilter());
  const cancel = useMutation(trpc.job.cancel.mutationOptions({ onSuccess: refresh }));
  const retry = useMutation(
    trpc.job.retry.mutationOptions({
      onSuccess: async (next) => {
        await refresh();
        router.push(jobHref(org, next.id));
      },
    }),
  );
  const error = cancel.error ?? retry.error;
  const canRetry = job.kind === "train" && (job.status === "failed" || job.status === "cancelled");
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex items-center gap-2">
        {isActive(job) ? (
          <Button variant="danger" busy={cancel.isPending} disabled={cancel.isPending || job.cancelRequested} onClick={() => confirm("Cancel this job? A running one stops at its next batch.") && cancel.mutate({ jobId: job.id })}>
            {job.cancelRequested ? "Cancelling…" : "Cancel job"}
          </Button>
        ) : null}
        {canRetry ? (
          <Button variant="secondary" busy={retry.isPending} onClick={() => retry.mutate({ jobId: job.id })}>
            Retry
          </Button>
        ) : null}
      </div>
      {error ? <Alert>{errorInfo(error).message}</Alert> : null}
    </div>
  );
}
