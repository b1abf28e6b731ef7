"use client";

import { useQuery } from "@tanstack/react-query";

import { BackLink } from "~/components/ui/back-link";
import { Alert, EmptyState, PageHeader } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { endpointHref } from "../endpoints/links";
import { StartAbTestForm } from "./start-form";

/** The start page: the endpoint first (its served version is the control), then the policy editor. */
export function NewAbTestView({ org, endpoint: name }: { org: string; endpoint: string }) {
  const trpc = useTRPC();
  const endpoint = useQuery(trpc.endpoint.get.queryOptions({ name }));
  const e = endpoint.data;
  return (
    <>
      <BackLink href={endpointHref(org, name)}>{name}</BackLink>
      <PageHeader title="Start an A/B test" description={`On endpoint ${name}: the test's policy becomes the endpoint's new revision, and a promotion serves the winner alone.`} />
      {endpoint.error ? <Alert>{errorInfo(endpoint.error).message}</Alert> : null}
      {endpoint.isPending ? <EmptyState>Loading endpoint…</EmptyState> : null}
      {e && e.version === null ? <Alert tone="info">Deploy a model version to {name} first: it becomes the control.</Alert> : null}
      {e && e.version !== null ? <StartAbTestForm org={org} endpoint={e} /> : null}
    </>
  );
}
