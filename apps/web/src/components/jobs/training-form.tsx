"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

import { versionHref } from "~/components/datasets/format";
import { BackLink } from "~/components/ui/back-link";
import { Alert, Card, EmptyState, PageHeader } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { jobHref, jobsHref } from "./links";
import { DatasetPicker } from "./spec/dataset-picker";
import type { SpecDraft } from "./spec/spec-draft";
import { SpecFields } from "./spec/spec-fields";
import { useSpecDraft } from "./spec/use-spec-draft";

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
  const { draft } = spec;

  return (
    <>
      <BackLink href={dataset.name ? versionHref(org, dataset.name, dataset.version) : jobsHref(org)}>{dataset.name ? `${dataset.name}${dataset.version === "latest" ? "" : ` v${dataset.version}`}` : "Jobs"}</BackLink>
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
        <Card title="Data">
          <DatasetPicker value={draft.dataset} onChange={(next) => spec.update({ dataset: next })} errorFor={errorFor} />
          {spec.version.error ? (
            <div className="mt-4">
              <Alert>{errorInfo(spec.version.error).message}</Alert>
            </div>
          ) : null}
        </Card>
        {spec.columns.length ? (
          <Card title="Settings" description={spec.version.data ? `${spec.version.data.name} v${spec.version.data.version}: ${spec.version.data.rowCount.toLocaleString()} rows, ${spec.columns.length} columns.` : undefined}>
            <SpecFields draft={draft} update={spec.update} columns={spec.columns} errorFor={errorFor} />
          </Card>
        ) : draft.dataset.name && spec.version.isPending ? (
          <EmptyState>Loading the dataset&apos;s schema…</EmptyState>
        ) : null}
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
