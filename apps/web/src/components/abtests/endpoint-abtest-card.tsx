"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { Alert, Badge, Card } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { abTestHref, abTestsHref, newAbTestHref } from "./links";
import { abTestStatusLabel, abTestStatusTone } from "./status";

const linkButton = "inline-flex items-center rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700";

/** The endpoint's running A/B test, or the way to start one. */
export function EndpointAbTestCard({ org, endpoint, canStart }: { org: string; endpoint: string; canStart: boolean }) {
  const trpc = useTRPC();
  const running = useQuery(trpc.abtest.list.queryOptions({ endpoint, status: "running" }));
  const test = running.data?.[0];
  return (
    <Card
      title="A/B test"
      description="Compare model versions on live traffic: a split, a canary, shadow traffic or a bandit."
      actions={
        <Link className="text-sm text-brand-600 hover:underline" href={abTestsHref(org)}>
          All A/B tests
        </Link>
      }
    >
      {running.error ? <Alert>{errorInfo(running.error).message}</Alert> : null}
      {test ? (
        <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="endpoint-abtest">
          <Link className="font-medium text-brand-600 hover:underline" href={abTestHref(org, test.id)}>
            {test.name}
          </Link>
          <Badge>{test.kind}</Badge>
          <Badge tone={abTestStatusTone[test.status]}>{abTestStatusLabel(test.status)}</Badge>
          <span className="text-slate-600">{test.variants.map((v) => `${v.name}: ${v.model} v${v.version}`).join(" · ")}</span>
        </p>
      ) : running.isSuccess ? (
        canStart ? (
          <Link className={linkButton} href={newAbTestHref(org, endpoint)}>
            Start an A/B test
          </Link>
        ) : (
          <p className="text-sm text-slate-500">Deploy a model version first: it becomes the test&apos;s control.</p>
        )
      ) : null}
    </Card>
  );
}
