"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";

import type { Endpoint } from "@gantry/schema/serving-contracts";

import { Button } from "~/components/ui/button";
import { Alert, Card } from "~/components/ui/card";
import { TextField } from "~/components/ui/field";
import { fieldKey, formErrors } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { KindOptions, kindInfo } from "./kind-options";
import { abTestHref } from "./links";
import { PlanFields } from "./plan-fields";
import type { Draft, Guardrail, Kind, VariantRow } from "./start-input";
import { equalWeights, startInput, weightSum } from "./start-input";
import { VariantFields } from "./variant-fields";

const MAX_VARIANTS = 8;

/** Fields the form shows an error next to; any other failure is shown above the submit button. */
const inlineFields = /^(name|hypothesis|promoteAlias|stickyKey|primaryMetric|variants(\.\d+\.(model|weight))?|plan\.\w+|canary\.\w+|shadow\.\w+|bandit\.\w+)$/;

function initialDraft(endpoint: Endpoint): Draft {
  const [a, b] = equalWeights(2);
  return {
    endpoint: endpoint.name,
    name: "",
    hypothesis: "",
    kind: "split",
    variants: [
      { model: endpoint.model ?? "", choice: endpoint.version === null ? "" : `version:${endpoint.version}`, weight: a ?? 50 },
      { model: endpoint.model ?? "", choice: "", weight: b ?? 50 },
    ],
    primaryMetric: "conversion",
    guardrails: ["error_rate", "p99_latency"],
    plan: { baseline: "0.1", minimumDetectableEffect: "0.1", alpha: "0.05", power: "0.8" },
    promoteAlias: "champion",
    stickyKey: "",
    canary: { steps: "5, 25, 50, 100", every: "10", everyUnit: "minutes", maxErrorRatePercent: "5", maxP99Ms: "250", minRequests: "50" },
    shadow: { mirrorPercent: 100 },
    bandit: { algorithm: "thompson", epsilon: "0.1" },
  };
}

const withEqualWeights = (rows: VariantRow[]) => {
  const weights = equalWeights(rows.length);
  return rows.map((r, i) => ({ ...r, weight: weights[i] ?? 0 }));
};

/**
 * The policy editor of a new A/B test on an endpoint: kind, variants (the first is the control,
 * pre-filled with what the endpoint serves), weights, the kind's options, the metric and plan.
 * Starting it deploys the policy as the endpoint's new revision.
 */
export function StartAbTestForm({ org, endpoint }: { org: string; endpoint: Endpoint }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => initialDraft(endpoint));
  const [weightsTouched, setWeightsTouched] = useState(false);
  const update = useCallback((patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch })), []);
  const setRow = useCallback((index: number, row: VariantRow) => setDraft((d) => ({ ...d, variants: d.variants.map((r, i) => (i === index ? row : r)) })), []);
  const start = useMutation(
    trpc.abtest.start.mutationOptions({
      onSuccess: async (test) => {
        await Promise.all([queryClient.invalidateQueries(trpc.abtest.pathFilter()), queryClient.invalidateQueries(trpc.endpoint.pathFilter())]);
        router.push(abTestHref(org, test.id));
      },
    }),
  );
  const { failure, fieldError } = formErrors(start.error);
  const split = draft.kind === "split";
  const sum = weightSum(draft.variants);
  const weightsOk = !split || Math.abs(sum - 100) < 1e-9;
  const twoOnly = draft.kind === "canary" || draft.kind === "shadow";
  const controlVersion = draft.variants[0]?.choice.startsWith("version:") ? Number(draft.variants[0].choice.slice("version:".length)) : endpoint.version;

  const setKind = (kind: Kind) =>
    setDraft((d) => {
      const rows = kind === "canary" || kind === "shadow" ? d.variants.slice(0, 2) : d.variants;
      return { ...d, kind, variants: rows.length === d.variants.length ? rows : withEqualWeights(rows) };
    });
  const toggleGuardrail = (g: Guardrail, on: boolean) => update({ guardrails: on ? [...new Set([...draft.guardrails, g])] : draft.guardrails.filter((x) => x !== g) });

  return (
    <form
      noValidate
      className="space-y-6"
      onSubmit={(e) => {
        e.preventDefault();
        setWeightsTouched(true);
        if (!weightsOk) return;
        start.mutate(startInput(draft));
      }}
    >
      <Card title="Test" description="A name to find it by, and what you expect to learn.">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Test name" value={draft.name} onChange={(e) => update({ name: e.target.value })} placeholder="v2-vs-v1" required error={fieldError("name")} hint="Lowercase letters, digits and dashes." />
          <TextField label="Hypothesis (optional)" value={draft.hypothesis} onChange={(e) => update({ hypothesis: e.target.value })} placeholder="v2 lifts conversion by 10%" error={fieldError("hypothesis")} />
        </div>
      </Card>

      <Card title="Policy" description="How traffic is shared between the variants while the test runs.">
        <fieldset className="mb-5">
          <legend className="mb-2 text-sm font-medium text-slate-700">Kind</legend>
          <div className="grid gap-2 sm:grid-cols-2 xl:grid-cols-4">
            {(Object.keys(kindInfo) as Kind[]).map((k) => (
              <label key={k} className={`flex cursor-pointer gap-2 rounded-md border p-3 text-sm ${draft.kind === k ? "border-brand-500 bg-brand-50" : "border-slate-200 hover:bg-slate-50"}`}>
                <input type="radio" name="kind" value={k} checked={draft.kind === k} onChange={() => setKind(k)} className="mt-0.5" />
                <span>
                  <span className="font-medium text-slate-900">{kindInfo[k].label}</span>
                  <span className="block text-xs text-slate-500">{kindInfo[k].blurb}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <div className="space-y-3">
          {draft.variants.map((row, i) => (
            <VariantFields
              key={i}
              index={i}
              row={row}
              onChange={(r) => {
                if (r.weight !== row.weight) setWeightsTouched(true);
                setRow(i, r);
              }}
              onRemove={i >= 2 ? () => update({ variants: withEqualWeights(draft.variants.filter((_, j) => j !== i)) }) : undefined}
              avoidVersion={i === 0 ? null : controlVersion}
              showWeight={split}
              errors={{ model: fieldError(`variants.${i}.model`), weight: fieldError(`variants.${i}.weight`) }}
            />
          ))}
        </div>
        <div className="mt-3 flex flex-wrap items-center gap-3">
          {!twoOnly && draft.variants.length < MAX_VARIANTS ? (
            <Button type="button" variant="secondary" onClick={() => update({ variants: withEqualWeights([...draft.variants, { model: draft.variants[0]?.model ?? "", choice: "", weight: 0 }]) })}>
              Add variant
            </Button>
          ) : null}
          {split ? (
            <>
              <Button type="button" variant="ghost" onClick={() => update({ variants: withEqualWeights(draft.variants) })}>
                Split evenly
              </Button>
              <p data-testid="weights-sum" className={`text-sm tabular-nums ${weightsOk ? "text-emerald-700" : "text-slate-600"}`}>
                Weights sum to {sum}%{weightsOk ? " ✓" : ""}
              </p>
            </>
          ) : null}
          {twoOnly ? <p className="text-sm text-slate-500">A {draft.kind} has exactly two variants: the control, then the candidate.</p> : null}
        </div>
        {split && !weightsOk && weightsTouched ? (
          <p role="alert" className="mt-2 text-sm text-red-600">
            The weights must sum to 100% (now {sum}%).
          </p>
        ) : null}
        {fieldError("variants") ? (
          <p role="alert" className="mt-2 text-sm text-red-600">
            {fieldError("variants")}
          </p>
        ) : null}
        <div className="mt-5">
          <KindOptions draft={draft} update={update} fieldError={fieldError} />
        </div>
      </Card>

      <Card title="Metric and plan" description="What decides the test, and how many units it takes to detect the effect you care about.">
        <PlanFields draft={draft} update={update} fieldError={fieldError} />
        <fieldset className="mt-4">
          <legend className="text-sm font-medium text-slate-700">Guardrails</legend>
          <div className="mt-1 flex flex-wrap gap-4 text-sm">
            {(
              [
                ["error_rate", "Error rate"],
                ["p99_latency", "p99 latency"],
              ] as const
            ).map(([g, label]) => (
              <label key={g} className="flex items-center gap-2">
                <input type="checkbox" checked={draft.guardrails.includes(g)} onChange={(e) => toggleGuardrail(g, e.target.checked)} />
                {label}
              </label>
            ))}
          </div>
        </fieldset>
      </Card>

      <Card title="Rollout" description="What a promotion does, and how a user keeps their variant.">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Promote alias"
            value={draft.promoteAlias}
            onChange={(e) => update({ promoteAlias: e.target.value })}
            hint="Moved to the winning version on promotion (leave empty to move no alias)."
            error={fieldError("promoteAlias")}
          />
          <TextField
            label="Sticky key (optional)"
            value={draft.stickyKey}
            onChange={(e) => update({ stickyKey: e.target.value })}
            placeholder="user_id"
            hint="A request field or header with the unit id (x-unit-id and unit_id always work)."
            error={fieldError("stickyKey")}
          />
        </div>
      </Card>

      {failure && !(failure.field && inlineFields.test(fieldKey(failure.field))) ? <Alert>{failure.message}</Alert> : null}
      <Button type="submit" busy={start.isPending}>
        Start A/B test
      </Button>
    </form>
  );
}
