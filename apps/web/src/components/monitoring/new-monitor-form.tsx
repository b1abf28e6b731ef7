"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import type { CreateMonitorInput } from "@gantry/schema/monitoring-contracts";

import { Button } from "~/components/ui/button";
import { Alert, Card } from "~/components/ui/card";
import { SelectField, TextField } from "~/components/ui/field";
import { formErrors } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

type Kind = CreateMonitorInput["kind"];
type Config = NonNullable<CreateMonitorInput["config"]>;

/** The fields this form shows (anything else the server names is shown above the button). */
const fields = ["name", "kind", "severity", "config", "config.windowMinutes", "config.everyMinutes", "config.minRows", "config.driftShare", "config.distanceThreshold", "config.features", "config.baseline", "config.baselineMinutes", "config.maxP99Ms", "config.maxErrorRate", "config.minRequests", "config.maxMetricDrop", "config.minLabels"];

/** An empty box leaves the server's default; anything else is sent as a number (the server names what is wrong). */
const numberOf = (form: FormData, key: string) => {
  const raw = String(form.get(key) ?? "").trim();
  return raw === "" ? undefined : Number(raw);
};

function configOf(form: FormData, kind: Kind): Config {
  const config: Record<string, unknown> = { windowMinutes: numberOf(form, "windowMinutes"), everyMinutes: numberOf(form, "everyMinutes") };
  if (kind === "service") Object.assign(config, { maxP99Ms: numberOf(form, "maxP99Ms"), maxErrorRate: numberOf(form, "maxErrorRate"), minRequests: numberOf(form, "minRequests") });
  else if (kind === "performance") Object.assign(config, { minRows: numberOf(form, "minRows"), maxMetricDrop: numberOf(form, "maxMetricDrop"), minLabels: numberOf(form, "minLabels") });
  else {
    const features = String(form.get("features") ?? "")
      .split(",")
      .map((f) => f.trim())
      .filter(Boolean);
    const trailing = form.get("baseline") === "trailing";
    Object.assign(config, {
      minRows: numberOf(form, "minRows"),
      driftShare: numberOf(form, "driftShare"),
      distanceThreshold: numberOf(form, "distanceThreshold"),
      ...(features.length ? { features } : {}),
      ...(trailing ? { baseline: "trailing", baselineMinutes: numberOf(form, "baselineMinutes") } : {}),
    });
  }
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as Config;
}

/** A new monitor of this endpoint: what it watches, its window and schedule, and its thresholds. */
export function NewMonitorForm({ endpoint, onCreated }: { endpoint: string; onCreated: (id: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>("data_drift");
  const create = useMutation(
    trpc.monitor.create.mutationOptions({
      onSuccess: async (m) => {
        onCreated(m.id);
        await queryClient.invalidateQueries(trpc.monitor.pathFilter());
      },
    }),
  );
  const { failure, fieldError } = formErrors(create.error);
  const drift = kind === "data_drift" || kind === "prediction_drift";

  return (
    <Card title="New monitor" description="Drift compares the window's traffic (per feature, or per output) with the served version's training reference, or with the endpoint's own traffic before the window; performance judges the model from labels and estimates; service checks latency, errors and traffic.">
      <form
        noValidate
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          create.mutate({
            endpoint,
            name: String(form.get("name") ?? "").trim(),
            kind,
            severity: String(form.get("severity") ?? "warning") as CreateMonitorInput["severity"],
            config: configOf(form, kind),
          });
        }}
      >
        <div className="grid gap-4 md:grid-cols-3">
          <TextField label="Monitor name" name="name" placeholder="churn-drift" error={fieldError("name")} />
          <SelectField label="Kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)} error={fieldError("kind")}>
            <option value="data_drift">Data drift (inputs)</option>
            <option value="prediction_drift">Prediction drift (outputs)</option>
            <option value="performance">Performance (labels, and estimated without them)</option>
            <option value="service">Service (latency, errors, traffic)</option>
          </SelectField>
          <SelectField label="Severity" name="severity" defaultValue="warning" error={fieldError("severity")}>
            <option value="info">info</option>
            <option value="warning">warning</option>
            <option value="critical">critical</option>
          </SelectField>
          <TextField label="Window (minutes)" name="windowMinutes" inputMode="numeric" defaultValue="60" error={fieldError("config.windowMinutes")} />
          <TextField label="Every (minutes)" name="everyMinutes" inputMode="numeric" defaultValue="5" error={fieldError("config.everyMinutes")} />
          {drift ? (
            <>
              <TextField label="Minimum rows" name="minRows" inputMode="numeric" defaultValue="100" hint="Fewer rows in the window: no data, nothing judged." error={fieldError("config.minRows")} />
              <TextField label="Drift share" name="driftShare" inputMode="decimal" defaultValue="0.5" hint="Drift when at least this share of them drift." error={fieldError("config.driftShare")} />
              <TextField label="Distance threshold" name="distanceThreshold" inputMode="decimal" defaultValue="0.1" hint="Wasserstein / Jensen–Shannon (references over 1,000 rows); smaller ones use χ² at p < 0.05." error={fieldError("config.distanceThreshold")} />
              <TextField label="Features (optional)" name="features" placeholder="tenure, plan" hint="Comma-separated; default every input." error={fieldError("config.features")} />
              <SelectField label="Baseline" name="baseline" defaultValue="reference" error={fieldError("config.baseline")}>
                <option value="reference">the served version&apos;s training data</option>
                <option value="trailing">the endpoint&apos;s own traffic before the window</option>
              </SelectField>
              <TextField label="Trailing baseline (minutes)" name="baselineMinutes" inputMode="numeric" placeholder="1440" hint="With a trailing baseline: how long it is, ending where the window starts." error={fieldError("config.baselineMinutes")} />
            </>
          ) : kind === "performance" ? (
            <>
              <TextField label="Minimum rows" name="minRows" inputMode="numeric" defaultValue="100" error={fieldError("config.minRows")} />
              <TextField label="Max metric drop" name="maxMetricDrop" inputMode="decimal" defaultValue="0.05" hint="Below the test split's score by more than this is a breach." error={fieldError("config.maxMetricDrop")} />
              <TextField label="Minimum labels" name="minLabels" inputMode="numeric" defaultValue="50" hint="Labelled rows (feedback) needed to judge from labels." error={fieldError("config.minLabels")} />
            </>
          ) : (
            <>
              <TextField label="Max p99 latency (ms)" name="maxP99Ms" inputMode="decimal" placeholder="500" error={fieldError("config.maxP99Ms")} />
              <TextField label="Max error rate" name="maxErrorRate" inputMode="decimal" placeholder="0.05" hint="A share: 0.05 is 5%." error={fieldError("config.maxErrorRate")} />
              <TextField label="Min requests" name="minRequests" inputMode="numeric" placeholder="10" error={fieldError("config.minRequests")} />
            </>
          )}
        </div>
        {fieldError("config") ? <Alert>{fieldError("config")}</Alert> : null}
        {failure && !fields.includes(failure.field ?? "") ? <Alert>{failure.message}</Alert> : null}
        <Button type="submit" busy={create.isPending}>
          Create monitor
        </Button>
      </form>
    </Card>
  );
}
