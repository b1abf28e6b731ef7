"use client";

import { useQuery } from "@tanstack/react-query";

import { Alert, Card, EmptyState } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { AlertTable } from "./alert-table";

/** The org's alerts (monitors and canaries raise them), newest first. */
export function AlertList() {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.alert.list.queryOptions({}), refetchInterval: 15_000 });
  const alerts = list.data ?? [];
  return (
    <Card title="Alerts">
      {list.error ? <Alert>{errorInfo(list.error).message}</Alert> : null}
      {list.isPending ? <EmptyState>Loading alerts…</EmptyState> : null}
      {list.isSuccess && alerts.length === 0 ? <EmptyState>No alerts. A monitor that finds drift or a breach, or a canary that breaches a guard, raises one here.</EmptyState> : null}
      {alerts.length ? <AlertTable alerts={alerts} caption="Alerts" /> : null}
    </Card>
  );
}
