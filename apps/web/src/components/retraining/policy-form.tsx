"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { BackLink } from "~/components/ui/back-link";
import { Button } from "~/components/ui/button";
import { Alert, Card, PageHeader } from "~/components/ui/card";
import { SelectField, TextField } from "~/components/ui/field";
import { formErrors } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { policyHref, retrainingHref } from "./links";
import type { DraftError, PolicyDraft } from "./policy-draft";
import { policyInput } from "./policy-draft";

const triggers = [
  { value: "manual", label: "By hand (Run now)" },
  { value: "data_drift", label: "Data drift alert" },
  { value: "prediction_drift", label: "Prediction drift alert" },
  { value: "service", label: "Service alert" },
] as const;

const initial: PolicyDraft = {
  name: "",
  model: "",
  endpoint: "",
  triggers: ["manual", "data_drift"],
  dataset: "",
  target: "",
  epochs: "20",
  hiddenLayers: "64, 32",
  extraSpec: "{}",
  gateMetric: "test_roc_auc",
  gateDirection: "higher",
  gateMargin: "0",
  canarySteps: "10, 50, 100",
  canaryEveryMinutes: "10",
  cooldownMinutes: "60",
  productionDays: "",
};

/** Fields the form shows next to their input; anything else the server names is shown above the button. */
const shown = ["name", "model", "endpoint", "triggers", "spec", "spec.dataset", "spec.dataset.name", "spec.target", "spec.epochs", "spec.model.hiddenLayers", "gate.metric", "gate.direction", "gate.margin", "rollout.steps", "rollout.everyMinutes", "cooldownMinutes", "productionRows", "productionRows.days"];

/** The policy editor: what to retrain for which endpoint, on what triggers, the gate the challenger must pass and the canary it rolls out in. */
export function PolicyForm({ org }: { org: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const models = useQuery(trpc.model.list.queryOptions());
  const endpoints = useQuery(trpc.endpoint.list.queryOptions());
  const datasets = useQuery(trpc.dataset.list.queryOptions());
  const [draft, setDraft] = useState<PolicyDraft>(initial);
  const [local, setLocal] = useState<DraftError | null>(null);
  const create = useMutation(
    trpc.retrain.create.mutationOptions({
      onSuccess: async (policy) => {
        await queryClient.invalidateQueries(trpc.retrain.pathFilter());
        router.push(policyHref(org, policy.id));
      },
    }),
  );
  const { failure, fieldError: serverError } = formErrors(create.error);
  const fieldError = (name: string) => (local?.field === name ? local.message : serverError(name));
  const set = <K extends keyof PolicyDraft>(key: K) => (value: PolicyDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  // Until one is picked, the first of each list is the choice.
  const model = draft.model || models.data?.[0]?.name || "";
  const endpoint = draft.endpoint || endpoints.data?.[0]?.name || "";
  const dataset = draft.dataset || datasets.data?.[0]?.name || "";

  return (
    <>
      <BackLink href={retrainingHref(org)}>Retraining</BackLink>
      <PageHeader title="New retraining policy" description="When a trigger fires: train on the dataset's latest version, score the challenger against the served champion on the same holdout, and roll it out in a canary that promotes or rolls back by itself." />
      <form
        noValidate
        className="space-y-6"
        onSubmit={(e) => {
          e.preventDefault();
          const out = policyInput({ ...draft, model, endpoint, dataset });
          if ("error" in out) {
            setLocal(out.error);
            return;
          }
          setLocal(null);
          create.mutate(out.input);
        }}
      >
        <Card title="What and when">
          <div className="grid gap-4 md:grid-cols-3">
            <TextField label="Policy name" name="name" value={draft.name} onChange={(e) => set("name")(e.target.value)} placeholder="churn-retrain" error={fieldError("name")} />
            <SelectField label="Model" name="model" value={model} onChange={(e) => set("model")(e.target.value)} error={fieldError("model")}>
              {models.data?.length ? null : <option value="">No registered models</option>}
              {models.data?.map((m) => (
                <option key={m.id} value={m.name}>
                  {m.name}
                </option>
              ))}
            </SelectField>
            <SelectField label="Endpoint" name="endpoint" value={endpoint} onChange={(e) => set("endpoint")(e.target.value)} error={fieldError("endpoint")}>
              {endpoints.data?.length ? null : <option value="">No endpoints</option>}
              {endpoints.data?.map((ep) => (
                <option key={ep.id} value={ep.name}>
                  {ep.name}
                </option>
              ))}
            </SelectField>
          </div>
          <fieldset className="mt-4">
            <legend className="text-sm font-medium text-slate-700">Triggers</legend>
            <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
              {triggers.map((t) => (
                <label key={t.value} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    checked={draft.triggers.includes(t.value)}
                    onChange={(e) => set("triggers")(e.target.checked ? [...draft.triggers, t.value] : draft.triggers.filter((x) => x !== t.value))}
                  />
                  {t.label}
                </label>
              ))}
            </div>
            {fieldError("triggers") ? (
              <p role="alert" className="mt-1 text-sm text-red-600">
                {fieldError("triggers")}
              </p>
            ) : null}
          </fieldset>
        </Card>
        <Card title="Training" description="The spec submitted at each run; its dataset is re-pinned to the latest version then.">
          <div className="grid gap-4 md:grid-cols-4">
            <SelectField label="Dataset" name="dataset" value={dataset} onChange={(e) => set("dataset")(e.target.value)} error={fieldError("spec.dataset") ?? fieldError("spec.dataset.name")}>
              {datasets.data?.length ? null : <option value="">No datasets</option>}
              {datasets.data?.map((d) => (
                <option key={d.id} value={d.name}>
                  {d.name}
                </option>
              ))}
            </SelectField>
            <TextField label="Target column" name="target" value={draft.target} onChange={(e) => set("target")(e.target.value)} placeholder="churned" error={fieldError("spec.target")} />
            <TextField label="Epochs" name="epochs" inputMode="numeric" value={draft.epochs} onChange={(e) => set("epochs")(e.target.value)} error={fieldError("spec.epochs")} />
            <TextField label="Hidden layers" name="hiddenLayers" value={draft.hiddenLayers} onChange={(e) => set("hiddenLayers")(e.target.value)} hint="Units per layer, comma-separated." error={fieldError("spec.model.hiddenLayers")} />
            <TextField
              label="Add labelled production rows (days)"
              name="productionDays"
              inputMode="numeric"
              value={draft.productionDays}
              onChange={(e) => set("productionDays")(e.target.value)}
              placeholder="none"
              hint="Predictions of the endpoint from the last N days that got a label as feedback join the dataset as a new version before each run. Empty: the dataset as it is."
              error={fieldError("productionRows.days") ?? fieldError("productionRows")}
            />
          </div>
          <div className="mt-4 space-y-1">
            <label htmlFor="extra-spec" className="block text-sm font-medium text-slate-700">
              Other spec fields (JSON)
            </label>
            <textarea
              id="extra-spec"
              rows={4}
              value={draft.extraSpec}
              onChange={(e) => set("extraSpec")(e.target.value)}
              aria-invalid={fieldError("spec") ? true : undefined}
              aria-describedby="extra-spec-hint"
              className="block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-xs shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
            />
            <p id="extra-spec-hint" className="text-xs text-slate-500">
              Any other field of a training spec, e.g. {`{"batchSize": 32, "learningRate": 0.01, "features": ["tenure", "plan"]}`}.
            </p>
            {fieldError("spec") ? (
              <p role="alert" className="text-sm text-red-600">
                {fieldError("spec")}
              </p>
            ) : null}
          </div>
        </Card>
        <Card title="Gate and rollout" description="The challenger must beat the champion on the challenger's holdout by the margin; then a canary moves traffic step by step, guarded.">
          <div className="grid gap-4 md:grid-cols-3">
            <TextField label="Gate metric" name="gateMetric" value={draft.gateMetric} onChange={(e) => set("gateMetric")(e.target.value)} hint="A test metric: test_roc_auc, test_accuracy, test_rmse…" error={fieldError("gate.metric")} />
            <SelectField label="Better when" name="gateDirection" value={draft.gateDirection} onChange={(e) => set("gateDirection")(e.target.value as PolicyDraft["gateDirection"])} error={fieldError("gate.direction")}>
              <option value="higher">higher</option>
              <option value="lower">lower</option>
            </SelectField>
            <TextField label="Margin" name="gateMargin" inputMode="decimal" value={draft.gateMargin} onChange={(e) => set("gateMargin")(e.target.value)} error={fieldError("gate.margin")} />
            <TextField label="Canary steps (%)" name="canarySteps" value={draft.canarySteps} onChange={(e) => set("canarySteps")(e.target.value)} hint="Comma-separated, ending at 100." error={fieldError("rollout.steps")} />
            <TextField label="Canary step every (minutes)" name="canaryEveryMinutes" inputMode="decimal" value={draft.canaryEveryMinutes} onChange={(e) => set("canaryEveryMinutes")(e.target.value)} error={fieldError("rollout.everyMinutes")} />
            <TextField label="Cool-down (minutes)" name="cooldownMinutes" inputMode="numeric" value={draft.cooldownMinutes} onChange={(e) => set("cooldownMinutes")(e.target.value)} hint="No new run within this long of the last." error={fieldError("cooldownMinutes")} />
          </div>
        </Card>
        {failure && !shown.includes(failure.field ?? "") ? <Alert>{failure.message}</Alert> : null}
        <Button type="submit" busy={create.isPending}>
          Create policy
        </Button>
      </form>
    </>
  );
}
