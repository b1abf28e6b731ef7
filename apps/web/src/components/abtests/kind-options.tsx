"use client";

import { SelectField, TextField } from "~/components/ui/field";

import type { Draft, Kind } from "./start-input";
import { PercentSlider } from "./variant-fields";

export const kindInfo: Record<Kind, { label: string; blurb: string }> = {
  split: { label: "Split", blurb: "Fixed shares of traffic per variant, sticky per unit; the classic A/B test." },
  canary: { label: "Canary", blurb: "The candidate takes a growing share step by step; a breached guard rolls it back." },
  shadow: { label: "Shadow", blurb: "The control answers; the candidate gets a mirrored copy whose answers are only logged." },
  bandit: { label: "Bandit", blurb: "Traffic shifts towards the variant that earns the most reward as evidence comes in." },
};

type FieldError = (name: string) => string | null;

/** The options of a canary, a shadow or a bandit (a split's are the weights of its variants). */
export function KindOptions({ draft, update, fieldError }: { draft: Draft; update: (patch: Partial<Draft>) => void; fieldError: FieldError }) {
  if (draft.kind === "canary") {
    const c = draft.canary;
    const set = (patch: Partial<Draft["canary"]>) => update({ canary: { ...c, ...patch } });
    return (
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <TextField label="Steps (% to the candidate)" value={c.steps} onChange={(e) => set({ steps: e.target.value })} hint="Increasing, ending at 100." error={fieldError("canary.steps")} />
        <div className="grid grid-cols-[1fr_auto] items-start gap-2">
          <TextField
            label="Advance every"
            type="number"
            min={0}
            value={c.every}
            onChange={(e) => set({ every: e.target.value })}
            error={fieldError("canary.everyMinutes") ?? fieldError("canary.everyRequests")}
          />
          <SelectField label="Unit" value={c.everyUnit} onChange={(e) => set({ everyUnit: e.target.value as Draft["canary"]["everyUnit"] })}>
            <option value="minutes">minutes</option>
            <option value="requests">requests</option>
          </SelectField>
        </div>
        <TextField label="Minimum requests per step" type="number" min={1} value={c.minRequests} onChange={(e) => set({ minRequests: e.target.value })} error={fieldError("canary.minRequests")} />
        <TextField label="Guard: max error rate (%)" type="number" min={0} max={100} value={c.maxErrorRatePercent} onChange={(e) => set({ maxErrorRatePercent: e.target.value })} error={fieldError("canary.maxErrorRate")} />
        <TextField label="Guard: max p99 latency (ms)" type="number" min={1} value={c.maxP99Ms} onChange={(e) => set({ maxP99Ms: e.target.value })} error={fieldError("canary.maxP99Ms")} />
      </div>
    );
  }
  if (draft.kind === "shadow") {
    return (
      <div className="max-w-md">
        <PercentSlider label="Mirror to the candidate (% of requests)" value={draft.shadow.mirrorPercent} onChange={(mirrorPercent) => update({ shadow: { mirrorPercent } })} error={fieldError("shadow.mirrorPercent")} />
      </div>
    );
  }
  if (draft.kind === "bandit") {
    const b = draft.bandit;
    return (
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Algorithm" value={b.algorithm} onChange={(e) => update({ bandit: { ...b, algorithm: e.target.value as Draft["bandit"]["algorithm"] } })} error={fieldError("bandit.algorithm")}>
          <option value="thompson">Thompson sampling</option>
          <option value="epsilon_greedy">ε-greedy</option>
        </SelectField>
        {b.algorithm === "epsilon_greedy" ? (
          <TextField label="Epsilon (exploration share)" type="number" min={0} max={1} step={0.01} value={b.epsilon} onChange={(e) => update({ bandit: { ...b, epsilon: e.target.value } })} error={fieldError("bandit.epsilon")} />
        ) : null}
      </div>
    );
  }
  return null;
}
