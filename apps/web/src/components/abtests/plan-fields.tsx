"use client";

import { SelectField, TextField } from "~/components/ui/field";

import type { Draft, Metric } from "./start-input";
import { isRateMetric, plannedSample } from "./start-input";

export const metricLabels: Record<Metric, string> = {
  conversion: "Conversion (any positive reward per unit)",
  mean_reward: "Mean reward per unit",
  accuracy: "Accuracy (labelled feedback)",
  log_loss: "Log loss (labelled feedback)",
  rmse: "RMSE (labelled feedback)",
};

type FieldError = (name: string) => string | null;

/** The primary metric and the power calculation, with the sample it plans computed as you type. */
export function PlanFields({ draft, update, fieldError }: { draft: Draft; update: (patch: Partial<Draft>) => void; fieldError: FieldError }) {
  const rate = isRateMetric(draft.primaryMetric);
  const plan = draft.plan;
  const set = (patch: Partial<Draft["plan"]>) => update({ plan: { ...plan, ...patch } });
  const planned = plannedSample(draft.primaryMetric, plan);
  const arms = draft.kind === "shadow" || draft.kind === "canary" ? 2 : draft.variants.length;
  return (
    <div className="space-y-4">
      <SelectField label="Primary metric" value={draft.primaryMetric} onChange={(e) => update({ primaryMetric: e.target.value as Metric })} error={fieldError("primaryMetric")}>
        {Object.entries(metricLabels).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <TextField
          label={rate ? "Baseline rate" : "Baseline standard deviation"}
          type="number"
          step="any"
          min={0}
          value={plan.baseline}
          onChange={(e) => set({ baseline: e.target.value })}
          hint={rate ? "The control's expected rate, 0–1 (0.1 = 10%)." : "The metric's standard deviation per unit."}
          error={fieldError("plan.baseline")}
        />
        <TextField
          label="Minimum detectable effect"
          type="number"
          step="any"
          min={0}
          value={plan.minimumDetectableEffect}
          onChange={(e) => set({ minimumDetectableEffect: e.target.value })}
          hint={rate ? "Relative: 0.1 = a 10% lift." : "Absolute, in the metric's units."}
          error={fieldError("plan.minimumDetectableEffect")}
        />
        <TextField label="Alpha (false positive rate)" type="number" step="any" min={0} max={0.5} value={plan.alpha} onChange={(e) => set({ alpha: e.target.value })} error={fieldError("plan.alpha")} />
        <TextField label="Power" type="number" step="any" min={0.5} max={1} value={plan.power} onChange={(e) => set({ power: e.target.value })} error={fieldError("plan.power")} />
      </div>
      <p className="text-sm" data-testid="planned-sample" aria-live="polite">
        {"unitsPerVariant" in planned ? (
          <>
            Planned sample: <strong className="tabular-nums">{planned.unitsPerVariant.toLocaleString("en-US")}</strong> units per variant (
            <span className="tabular-nums">{(planned.unitsPerVariant * arms).toLocaleString("en-US")}</span> in all).
          </>
        ) : (
          <span className="text-amber-700">No planned sample yet: {planned.error}</span>
        )}
      </p>
    </div>
  );
}
