"use client";

import { versionHref } from "~/components/datasets/format";
import { BackLink } from "~/components/ui/back-link";
import { Alert, Card, EmptyState } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";

import { jobsHref } from "../links";
import { DatasetPicker } from "./dataset-picker";
import type { SpecDraft } from "./spec-draft";
import { SpecFields } from "./spec-fields";
import type { useSpecDraft } from "./use-spec-draft";

/* The parts every form built on a training spec shares (new job, sweep, schedule). */

type SpecState = ReturnType<typeof useSpecDraft>;
type ErrorFor = (field: string) => string | null;

/** The dataset picker, and why the chosen version cannot be read. */
export function DatasetCard({ spec, errorFor, allowLatest = false }: { spec: SpecState; errorFor: ErrorFor; allowLatest?: boolean }) {
  return (
    <Card title="Data">
      <DatasetPicker value={spec.draft.dataset} onChange={(next) => spec.update({ dataset: next })} allowLatest={allowLatest} errorFor={errorFor} />
      {spec.version.error ? (
        <div className="mt-4">
          <Alert>{errorInfo(spec.version.error).message}</Alert>
        </div>
      ) : null}
    </Card>
  );
}

/** The spec's fields once the dataset's schema is known (while it loads, a line saying so). */
export function SpecFieldsCard({ spec, errorFor, title, description }: { spec: SpecState; errorFor: ErrorFor; title: string; description?: string }) {
  if (spec.columns.length) {
    return (
      <Card title={title} description={description}>
        <SpecFields draft={spec.draft} update={spec.update} columns={spec.columns} errorFor={errorFor} />
      </Card>
    );
  }
  return spec.draft.dataset.name && spec.version.isPending ? <EmptyState>Loading the dataset&apos;s schema…</EmptyState> : null;
}

/** Back to the dataset version the form was opened from, or to the jobs. */
export function DatasetBackLink({ org, dataset }: { org: string; dataset: SpecDraft["dataset"] }) {
  return (
    <BackLink href={dataset.name ? versionHref(org, dataset.name, dataset.version) : jobsHref(org)}>
      {dataset.name ? `${dataset.name}${dataset.version === "latest" ? "" : ` v${dataset.version}`}` : "Jobs"}
    </BackLink>
  );
}
