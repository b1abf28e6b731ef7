"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { Alert, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { shortId } from "../jobs/job-format";
import { formatTime } from "../tracking/format";
import { StatusBadge } from "../tracking/status-badge";

/** Runs that read this version: training jobs' runs and MLflow runs that logged it as an input. */
export function VersionRuns({ org, name, version }: { org: string; name: string; version: number }) {
  const trpc = useTRPC();
  const runs = useQuery(trpc.dataset.runs.queryOptions({ name, version }));
  return (
    <Card title="Runs that used this version" description="Training jobs' runs, and MLflow runs that logged it as an input.">
      {runs.error ? <Alert>{errorInfo(runs.error).message}</Alert> : null}
      {runs.data?.length === 0 ? <EmptyState>No runs yet. Train a model on it, or log it as an input from an MLflow client.</EmptyState> : null}
      {runs.data?.length ? (
        <Table head={["Run", "Experiment", "Status", "Started"]} caption="Runs that used this version">
          {runs.data.map((r) => (
            <tr key={r.runId} className="hover:bg-slate-50">
              <Td className="font-medium">
                <Link className="text-brand-600 hover:underline" href={`/o/${org}/runs/${r.runId}`}>
                  {r.runName || shortId(r.runId)}
                </Link>
              </Td>
              <Td>
                <Link className="text-brand-600 hover:underline" href={`/o/${org}/experiments/${r.experimentId}`}>
                  {r.experimentName}
                </Link>
              </Td>
              <Td>
                <StatusBadge status={r.status} />
              </Td>
              <Td className="whitespace-nowrap text-slate-600">{formatTime(r.startTime)}</Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Card>
  );
}
