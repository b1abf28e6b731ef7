"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";

import { ZSweepParameter } from "@gantry/schema/jobs";

import { Alert, Card, PageHeader } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { SelectField, TextField } from "~/components/ui/field";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { jobHref } from "../links";
import type { SpecDraft } from "../spec/spec-draft";
import { useSpecDraft } from "../spec/use-spec-draft";
import { DatasetBackLink, DatasetCard, SpecFieldsCard } from "../spec/spec-cards";

const EXAMPLE_PARAMETERS = `{
  "learningRate": { "min": 0.0001, "max": 0.01, "scale": "log" },
  "model.hiddenLayers": { "values": [[32], [64, 32]] }
}`;

/** Test metrics the training logs, by task; the first is the default to optimise. */
const metricsByTask = {
  classification: ["test_roc_auc", "test_accuracy", "test_f1", "test_precision", "test_recall", "test_log_loss"],
  regression: ["test_rmse", "test_mae", "test_r2"],
};
const lowerIsBetter = (metric: string) => /(rmse|mae|loss)$/.test(metric);

type SearchDraft = { name: string; method: "grid" | "random"; metric: string; goal: "" | "maximize" | "minimize"; maxRuns: string; concurrency: string; parameters: string };

/** `{ "path": parameter }`, each checked with the API's own schema so mistakes are named before sending. */
function parseParameters(text: string): { value: Record<string, unknown> } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { error: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { error: 'must be an object such as { "learningRate": { "values": [0.01, 0.001] } }' };
  for (const [path, p] of Object.entries(parsed)) {
    const checked = ZSweepParameter.safeParse(p);
    if (!checked.success) return { error: `${path}: give { "values": [...] } or { "min", "max", "scale"?: "linear" | "log", "integer"?: boolean }` };
  }
  return { value: parsed as Record<string, unknown> };
}

/** A grid or random search over training spec fields: a base spec (the training form) and a search space. */
export function SweepForm({ org, dataset }: { org: string; dataset: SpecDraft["dataset"] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const parametersId = useId();
  const spec = useSpecDraft({ dataset, prefix: "config.base" });
  const [search, setSearch] = useState<SearchDraft>({ name: "", method: "random", metric: "", goal: "", maxRuns: "6", concurrency: "2", parameters: EXAMPLE_PARAMETERS });
  const [localError, setLocalError] = useState<{ field: string; message: string } | null>(null);
  const submit = useMutation(
    trpc.job.submitSweep.mutationOptions({
      onSuccess: async (job) => {
        await queryClient.invalidateQueries({ queryKey: trpc.job.list.queryKey() });
        router.push(jobHref(org, job.id));
      },
    }),
  );
  const { errorFor, general } = spec.errorsFrom(localError ? null : submit.error);
  const apiFailure = localError ?? (submit.error ? errorInfo(submit.error) : null);
  const searchError = (field: string) => {
    const full = `config.${field}`;
    if (!apiFailure?.field || (apiFailure.field !== full && !apiFailure.field.startsWith(`${full}.`))) return null;
    return apiFailure.message.replace(/^[\w.]+: /, "");
  };
  const searchFields = ["name", "method", "metric", "goal", "maxRuns", "concurrency", "parameters", "seed"];
  const generalError = general && !searchFields.some((f) => searchError(f)) ? general : null;

  const regression = spec.draft.task === "regression" || (!spec.draft.task && ["numeric"].includes(spec.columns.find((c) => c.name === spec.draft.target)?.type ?? ""));
  const suggestions = regression ? metricsByTask.regression : metricsByTask.classification;
  const metric = search.metric.trim() || (suggestions[0] ?? "test_accuracy");
  const goal = search.goal || (lowerIsBetter(metric) ? "minimize" : "maximize");
  const set = (change: Partial<SearchDraft>) => {
    setLocalError(null);
    setSearch((s) => ({ ...s, ...change }));
  };
  const number = (raw: string) => (raw.trim() === "" ? undefined : Number(raw));

  return (
    <>
      <DatasetBackLink org={org} dataset={dataset} />
      <PageHeader title="New sweep" description="Trains one model per trial, each a child run of the sweep's run, and picks the best by a test metric." />
      <form
        noValidate
        className="space-y-6"
        onSubmit={(e) => {
          e.preventDefault();
          const base = spec.toSpec();
          if (!base) return;
          const parameters = parseParameters(search.parameters);
          if ("error" in parameters) return setLocalError({ field: "config.parameters", message: parameters.error });
          setLocalError(null);
          submit.mutate({
            config: {
              ...(search.name.trim() ? { name: search.name.trim() } : {}),
              base,
              method: search.method,
              parameters: parameters.value as never,
              maxRuns: number(search.maxRuns),
              concurrency: number(search.concurrency),
              metric,
              goal,
            },
          });
        }}
      >
        <DatasetCard spec={spec} errorFor={errorFor} />
        <Card title="Search space" description="Each parameter names a spec field by its path (learningRate, epochs, model.dropout, model.hiddenLayers …) with a list of values, or a range for random search.">
          <div className="space-y-4">
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              <TextField label="Sweep name (optional)" name="sweepName" value={search.name} onChange={(e) => set({ name: e.target.value })} error={searchError("name")} placeholder="lr-and-layers" />
              <SelectField label="Method" name="method" value={search.method} onChange={(e) => set({ method: e.target.value as SearchDraft["method"] })} error={searchError("method")}>
                <option value="random">random: sample ranges and lists</option>
                <option value="grid">grid: every combination of the lists</option>
              </SelectField>
              <TextField label={search.method === "grid" ? "Max trials (cap on the grid)" : "Trials"} name="maxRuns" type="number" min={1} value={search.maxRuns} onChange={(e) => set({ maxRuns: e.target.value })} error={searchError("maxRuns")} />
              <TextField label="Metric to optimise" name="metric" list={`${parametersId}-metrics`} value={search.metric} placeholder={metric} onChange={(e) => set({ metric: e.target.value })} error={searchError("metric")} hint="A test metric of the trial runs." />
              <datalist id={`${parametersId}-metrics`}>
                {suggestions.map((m) => (
                  <option key={m} value={m} />
                ))}
              </datalist>
              <SelectField label="Goal" name="goal" value={search.goal} onChange={(e) => set({ goal: e.target.value as SearchDraft["goal"] })} error={searchError("goal")}>
                <option value="">auto ({lowerIsBetter(metric) ? "minimize" : "maximize"})</option>
                <option value="maximize">maximize</option>
                <option value="minimize">minimize</option>
              </SelectField>
              <TextField label="Trials at a time" name="concurrency" type="number" min={1} value={search.concurrency} onChange={(e) => set({ concurrency: e.target.value })} error={searchError("concurrency")} />
            </div>
            <div className="space-y-1">
              <label htmlFor={parametersId} className="block text-sm font-medium text-slate-700">
                Parameters (JSON)
              </label>
              <textarea
                id={parametersId}
                value={search.parameters}
                onChange={(e) => set({ parameters: e.target.value })}
                rows={8}
                spellCheck={false}
                aria-invalid={searchError("parameters") ? true : undefined}
                aria-describedby={searchError("parameters") ? `${parametersId}-error` : undefined}
                className={`block w-full rounded-md border bg-white px-3 py-2 font-mono text-xs shadow-sm focus:outline-none focus:ring-2 ${searchError("parameters") ? "border-red-400 focus:ring-red-200" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100"}`}
              />
              {searchError("parameters") ? (
                <p id={`${parametersId}-error`} role="alert" className="text-sm text-red-600">
                  {searchError("parameters")}
                </p>
              ) : null}
            </div>
          </div>
        </Card>
        <SpecFieldsCard spec={spec} errorFor={errorFor} title="Base settings" description="Every trial starts from these; the search space overrides the fields it names." />
        {generalError ? <Alert>{generalError.message}</Alert> : null}
        <Button type="submit" busy={submit.isPending} disabled={!spec.columns.length || submit.isPending}>
          Start sweep
        </Button>
      </form>
    </>
  );
}
