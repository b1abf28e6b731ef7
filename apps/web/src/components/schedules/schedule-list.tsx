"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";

import type { Schedule } from "@gantry/schema/schedule-contracts";

import { versionHref } from "~/components/datasets/format";
import { shortId } from "~/components/jobs/job-format";
import { jobHref } from "~/components/jobs/links";
import { Alert, Badge, Card, EmptyState } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { describeCron } from "./cron";

function specSummary(schedule: Schedule): { dataset: { name: string; version: number | "latest" } | null; target: string | null; epochs: number | null } {
  const spec = schedule.spec;
  const d = spec.dataset as { name?: unknown; version?: unknown } | undefined;
  return {
    dataset: d && typeof d.name === "string" ? { name: d.name, version: typeof d.version === "number" ? d.version : "latest" } : null,
    target: typeof spec.target === "string" ? spec.target : null,
    epochs: typeof spec.epochs === "number" ? spec.epochs : null,
  };
}

/** The org's schedules: when each fires next, what it last submitted, and pause, resume, run now, delete. */
export function ScheduleList({ org }: { org: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.schedule.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries(trpc.schedule.pathFilter());
  const pause = useMutation(trpc.schedule.pause.mutationOptions({ onSuccess: refresh }));
  const resume = useMutation(trpc.schedule.resume.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.schedule.delete.mutationOptions({ onSuccess: refresh }));
  const runNow = useMutation(
    trpc.schedule.runNow.mutationOptions({
      onSuccess: async () => {
        await refresh();
        await queryClient.invalidateQueries({ queryKey: trpc.job.list.queryKey() });
      },
    }),
  );
  const changeError = pause.error ?? resume.error ?? remove.error ?? runNow.error;
  const busy = (m: { isPending: boolean; variables?: { scheduleId: string } }, id: string) => m.isPending && m.variables?.scheduleId === id;
  const schedules = list.data ?? [];

  return (
    <Card title="Schedules">
      {list.error ? <Alert>{errorInfo(list.error).message}</Alert> : null}
      {changeError ? <Alert>{errorInfo(changeError).message}</Alert> : null}
      {runNow.data ? (
        <div className="mb-4">
          <Alert tone="success">
            Submitted{" "}
            <Link href={jobHref(org, runNow.data.id)} className="font-medium underline">
              job {shortId(runNow.data.id)}
            </Link>
            .
          </Alert>
        </div>
      ) : null}
      {list.isPending ? <EmptyState>Loading schedules…</EmptyState> : null}
      {list.isSuccess && schedules.length === 0 ? <EmptyState>No schedules yet. Create one to retrain on a cron.</EmptyState> : null}
      {schedules.length ? (
        <Table head={["Name", "Cron", "Trains", "Next run", "Last job", { label: <span className="sr-only">Actions</span> }]} caption="Schedules">
          {schedules.map((s) => {
            const { dataset, target, epochs } = specSummary(s);
            const words = describeCron(s.cron);
            return (
              <tr key={s.id} id={`schedule-${s.id}`} className={s.paused ? "bg-slate-50 text-slate-500" : "hover:bg-slate-50"}>
                <Td className="font-medium">
                  {s.name}
                  <p className="mt-0.5">{s.paused ? <Badge tone="amber">paused</Badge> : <Badge tone="green">active</Badge>}</p>
                </Td>
                <Td className="whitespace-nowrap">
                  <code className="text-xs">{s.cron}</code>
                  <p className="text-xs text-slate-500">
                    {words ? `${words}, ` : ""}
                    {s.timezone}
                  </p>
                </Td>
                <Td className="whitespace-nowrap">
                  {dataset ? (
                    <Link href={versionHref(org, dataset.name, dataset.version)} className="text-brand-600 hover:underline">
                      {dataset.name}@{dataset.version}
                    </Link>
                  ) : (
                    "—"
                  )}
                  <p className="text-xs text-slate-500">
                    {target ? `target ${target}` : ""}
                    {epochs ? `, ${epochs} epochs` : ""}
                  </p>
                </Td>
                <Td className="whitespace-nowrap text-slate-600">{s.paused ? "paused" : (s.nextFireAt?.toLocaleString() ?? "—")}</Td>
                <Td className="whitespace-nowrap">
                  {s.lastJobId ? (
                    <Link href={jobHref(org, s.lastJobId)} className="text-brand-600 hover:underline">
                      {shortId(s.lastJobId)}
                    </Link>
                  ) : (
                    <span className="text-slate-500">never run</span>
                  )}
                  {s.lastFiredAt ? <p className="text-xs text-slate-500">{s.lastFiredAt.toLocaleString()}</p> : null}
                </Td>
                <Td className="whitespace-nowrap text-right">
                  <div className="flex justify-end gap-2">
                    <Button variant="secondary" busy={busy(runNow, s.id)} onClick={() => runNow.mutate({ scheduleId: s.id })} aria-label={`Run ${s.name} now`}>
                      Run now
                    </Button>
                    {s.paused ? (
                      <Button variant="secondary" busy={busy(resume, s.id)} onClick={() => resume.mutate({ scheduleId: s.id })} aria-label={`Resume ${s.name}`}>
                        Resume
                      </Button>
                    ) : (
                      <Button variant="secondary" busy={busy(pause, s.id)} onClick={() => pause.mutate({ scheduleId: s.id })} aria-label={`Pause ${s.name}`}>
                        Pause
                      </Button>
                    )}
                    <Button variant="danger" busy={busy(remove, s.id)} onClick={() => confirm(`Delete the schedule ${s.name}? Jobs it submitted stay.`) && remove.mutate({ scheduleId: s.id })} aria-label={`Delete ${s.name}`}>
                      Delete
                    </Button>
                  </div>
                </Td>
              </tr>
            );
          })}
        </Table>
      ) : null}
    </Card>
  );
}
