"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";

import { useSpecDraft } from "~/components/jobs/spec/use-spec-draft";
import { BackLink } from "~/components/ui/back-link";
import { Alert, Card, PageHeader } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/field";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { cronPresets } from "./cron";
import { DatasetCard, SpecFieldsCard } from "~/components/jobs/spec/spec-cards";

const browserZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
};

const zones = (): string[] => {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC"];
  }
};

/** A schedule: a name, a cron read in a time zone, and a training spec (its dataset usually `latest`). */
export function ScheduleForm({ org }: { org: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const zonesId = useId();
  const spec = useSpecDraft({ dataset: { name: "", version: "latest" }, prefix: "spec" });
  const [name, setName] = useState("");
  const [cron, setCron] = useState("0 3 * * *");
  const [timezone, setTimezone] = useState(browserZone);
  const create = useMutation(
    trpc.schedule.create.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.schedule.pathFilter());
        router.push(`/o/${org}/schedules`);
      },
    }),
  );
  const { errorFor, general } = spec.errorsFrom(create.error);
  const failure = create.error ? errorInfo(create.error) : null;
  const own = (field: string) => (failure?.field === field ? failure.message.replace(/^[\w.]+: /, "") : null);
  const generalError = general && !["name", "cron", "timezone"].includes(general.field ?? "") ? general : null;

  return (
    <>
      <BackLink href={`/o/${org}/schedules`}>Schedules</BackLink>
      <PageHeader title="New schedule" description="Submits a training job at each firing. With the dataset at 'latest', each job trains on the newest version uploaded by then." />
      <form
        noValidate
        className="space-y-6"
        onSubmit={(e) => {
          e.preventDefault();
          const input = spec.toSpec();
          if (input) create.mutate({ name, cron, timezone, spec: input });
        }}
      >
        <Card title="When">
          <div className="grid gap-4 md:grid-cols-3">
            <TextField label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={own("name")} placeholder="nightly churn retrain" />
            <TextField
              label="Cron"
              name="cron"
              value={cron}
              onChange={(e) => setCron(e.target.value)}
              error={own("cron")}
              hint={
                <span className="flex flex-wrap gap-x-2">
                  {cronPresets.map((p) => (
                    <button key={p.cron} type="button" className="text-brand-600 hover:underline" onClick={() => setCron(p.cron)}>
                      {p.label}
                    </button>
                  ))}
                </span>
              }
            />
            <TextField label="Time zone" name="timezone" list={zonesId} value={timezone} onChange={(e) => setTimezone(e.target.value)} error={own("timezone")} />
            <datalist id={zonesId}>
              {zones().map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </div>
        </Card>
        <DatasetCard spec={spec} errorFor={errorFor} allowLatest />
        <SpecFieldsCard spec={spec} errorFor={errorFor} title="Training spec" description="The fields come from the dataset's current schema." />
        {generalError ? <Alert>{generalError.message}</Alert> : null}
        <Button type="submit" busy={create.isPending} disabled={!spec.columns.length || create.isPending}>
          Create schedule
        </Button>
      </form>
    </>
  );
}
