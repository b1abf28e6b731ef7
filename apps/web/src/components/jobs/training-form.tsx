"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

import { Alert, PageHeader } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { useTRPC } from "~/trpc/react";

import { jobHref } from "./links";
import type { SpecDraft } from "./spec/spec-draft";
import { useSpecDraft } from "./spec/use-spec-draft";
import { DatasetBackLink, DatasetCard, SpecFieldsCard } from "./spec/spec-cards";

/** A new training job: the fields come from the chosen dataset version's schema. */
export function TrainingForm({ org, dataset }: { org: string; dataset: SpecDraft["dataset"] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const spec = useSpecDraft({ dataset, prefix: "spec" });
  const submit = useMutation(
    trpc.job.submitTraining.mutationOptions({
      onSuccess: async (job) => {
        await queryClient.invalidateQueries({ queryKey: trpc.job.list.queryKey() });
        router.push(jobHref(org, job.id));
      },
    }),
  );
  const { errorFor, general } = spec.errorsFrom(submit.error);

  return (
    <>
      <DatasetBackLink org={org} dataset={dataset} />
      <PageHeader title="New training job" description="A dense network on a dataset version, trained on the worker; its run logs the params, per-epoch metrics, test metrics and the model." />
      <form
        noValidate
        className="space-y-6"
        onSubmit={(e) => {
          e.preventDefault();
          const input = spec.toSpec();
          if (input) submit.mutate({ spec: input });
        }}
      >
        <DatasetCard spec={spec} errorFor={errorFor} />
        <SpecFieldsCard
          spec={spec}
          errorFor={errorFor}
          title="Settings"
          description={spec.version.data ? `${spec.version.data.name} v${spec.version.data.version}: ${spec.version.data.rowCount.toLocaleString()} rows, ${spec.columns.length} columns.` : undefined}
        />
        {general ? <Alert>{general.message}</Alert> : null}
        <div className="flex items-center gap-3">
          <Button type="submit" busy={submit.isPending} disabled={!spec.columns.length || submit.isPending}>
            Start training
          </Button>
          <span className="text-sm text-slate-500">The job waits in the queue until a worker takes it.</span>
        </div>
      </form>
    </>
  );
}
