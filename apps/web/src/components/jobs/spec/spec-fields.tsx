"use client";

import type { ReactNode } from "react";

import type { DatasetColumn } from "@gantry/schema/datasets";
import { activations, optimizers, trainingTasks } from "@gantry/schema/training";

import { SelectField, TextField } from "~/components/ui/field";

import type { SpecDraft } from "./spec-draft";
import { featuresOf, timeColumns } from "./spec-draft";

type Props = {
  draft: SpecDraft;
  update: (change: Partial<SpecDraft>) => void;
  columns: DatasetColumn[];
  /** The API's error for a spec field (`epochs`, `model.dropout`, …), without its prefix. */
  errorFor: (field: string) => string | null;
};

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  // The rule is on a wrapper: a fieldset's own border is broken by its legend.
  return (
    <div className="border-t border-slate-100 pt-5 first:border-t-0 first:pt-0">
      <fieldset className="min-w-0">
        <legend className="text-sm font-semibold text-slate-900">{title}</legend>
        {description ? <p className="mt-0.5 text-xs text-slate-500">{description}</p> : null}
        <div className="mt-3 space-y-4">{children}</div>
      </fieldset>
    </div>
  );
}

const numberProps = { type: "number", step: "any", inputMode: "decimal" } as const;

function FeaturePicker({ draft, update, columns, error }: { draft: SpecDraft; update: Props["update"]; columns: DatasetColumn[]; error: string | null }) {
  const chosen = new Set(featuresOf(draft, columns));
  const timeColumn = draft.split.kind === "time" ? draft.split.column : "";
  const toggle = (name: string, on: boolean) => update({ excluded: on ? draft.excluded.filter((n) => n !== name) : [...draft.excluded, name] });
  return (
    <div aria-describedby={error ? "features-error" : undefined} role="group" aria-labelledby="features-label">
      <div className="flex items-center justify-between gap-2">
        <span id="features-label" className="text-sm font-medium text-slate-700">
          Features <span className="font-normal text-slate-500">({chosen.size} of {columns.length})</span>
        </span>
        <span className="flex gap-3 text-xs">
          <button type="button" className="text-brand-600 hover:underline" onClick={() => update({ excluded: [] })}>
            All
          </button>
          <button type="button" className="text-brand-600 hover:underline" onClick={() => update({ excluded: columns.map((c) => c.name) })}>
            None
          </button>
        </span>
      </div>
      <div className="mt-2 grid max-h-64 gap-x-4 gap-y-1 overflow-y-auto rounded-md border border-slate-200 p-3 sm:grid-cols-2 lg:grid-cols-3">
        {columns.map((c) => {
          const role = c.name === draft.target ? "target" : c.name === timeColumn ? "time split" : null;
          return (
            <label key={c.name} className={`flex items-center gap-2 text-sm ${role ? "text-slate-400" : "text-slate-700"}`}>
              <input type="checkbox" checked={chosen.has(c.name)} disabled={Boolean(role)} onChange={(e) => toggle(c.name, e.target.checked)} />
              <span className="truncate font-mono text-xs">{c.name}</span>
              <span className="text-xs text-slate-400">{role ?? c.type}</span>
            </label>
          );
        })}
      </div>
      {error ? (
        <p id="features-error" role="alert" className="mt-1 text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Every field of a training spec but the dataset, from the dataset version's schema. */
export function SpecFields({ draft, update, columns, errorFor }: Props) {
  const times = timeColumns(columns);
  const setSplit = (change: Partial<SpecDraft["split"]>) => update({ split: { ...draft.split, ...change } });
  return (
    <div className="space-y-6">
      <Section title="Target and features" description="What to predict, and from which columns. The task is inferred from the target unless you choose it.">
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField label="Target" name="target" value={draft.target} onChange={(e) => update({ target: e.target.value, excluded: draft.excluded.filter((n) => n !== e.target.value) })} error={errorFor("target")}>
            <option value="" disabled>
              Choose the column to predict
            </option>
            {columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} ({c.type})
              </option>
            ))}
          </SelectField>
          <SelectField label="Task" name="task" value={draft.task} onChange={(e) => update({ task: e.target.value as SpecDraft["task"] })} error={errorFor("task")}>
            <option value="">auto (from the target)</option>
            {trainingTasks.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </SelectField>
        </div>
        <FeaturePicker draft={draft} update={update} columns={columns} error={errorFor("features")} />
      </Section>

      <Section title="Split" description="Rows held out to validate each epoch (early stopping) and to test the final model.">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <SelectField label="Split" name="split" value={draft.split.kind} onChange={(e) => setSplit({ kind: e.target.value as "random" | "time", column: draft.split.column || (times[0]?.name ?? "") })} error={errorFor("split.kind")}>
            <option value="random">random (seeded)</option>
            <option value="time" disabled={times.length === 0}>
              by time{times.length === 0 ? " (needs a datetime column)" : ""}
            </option>
          </SelectField>
          {draft.split.kind === "time" ? (
            <SelectField label="Time column" name="splitColumn" value={draft.split.column} onChange={(e) => setSplit({ column: e.target.value })} error={errorFor("split.column")}>
              {times.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </SelectField>
          ) : null}
          <TextField label="Validation fraction" name="validation" {...numberProps} min={0} max={0.5} value={draft.split.validation} onChange={(e) => setSplit({ validation: e.target.value })} error={errorFor("split.validation")} />
          <TextField label="Test fraction" name="test" {...numberProps} min={0} max={0.5} value={draft.split.test} onChange={(e) => setSplit({ test: e.target.value })} error={errorFor("split.test")} />
        </div>
      </Section>

      <Section title="Model" description="A dense network; no hidden layers is logistic (or linear) regression.">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <TextField label="Hidden layers" name="hiddenLayers" value={draft.hiddenLayers} onChange={(e) => update({ hiddenLayers: e.target.value })} hint="Units per layer, e.g. 64, 32" error={errorFor("model.hiddenLayers")} />
          <SelectField label="Activation" name="activation" value={draft.activation} onChange={(e) => update({ activation: e.target.value as SpecDraft["activation"] })} error={errorFor("model.activation")}>
            {activations.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </SelectField>
          <TextField label="Dropout" name="dropout" {...numberProps} min={0} max={0.9} value={draft.dropout} onChange={(e) => update({ dropout: e.target.value })} error={errorFor("model.dropout")} />
          <TextField label="L2" name="l2" {...numberProps} min={0} value={draft.l2} onChange={(e) => update({ l2: e.target.value })} error={errorFor("model.l2")} />
        </div>
      </Section>

      <Section title="Training">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <SelectField label="Optimizer" name="optimizer" value={draft.optimizer} onChange={(e) => update({ optimizer: e.target.value as SpecDraft["optimizer"] })} error={errorFor("optimizer")}>
            {optimizers.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </SelectField>
          <TextField label="Learning rate" name="learningRate" {...numberProps} min={0} value={draft.learningRate} onChange={(e) => update({ learningRate: e.target.value })} error={errorFor("learningRate")} />
          <TextField label="Epochs" name="epochs" {...numberProps} step={1} min={1} value={draft.epochs} onChange={(e) => update({ epochs: e.target.value })} error={errorFor("epochs")} />
          <TextField label="Batch size" name="batchSize" {...numberProps} step={1} min={1} value={draft.batchSize} onChange={(e) => update({ batchSize: e.target.value })} error={errorFor("batchSize")} />
          <SelectField label="Class weights" name="classWeights" value={draft.classWeights} onChange={(e) => update({ classWeights: e.target.value as SpecDraft["classWeights"] })} error={errorFor("classWeights")}>
            <option value="none">none</option>
            <option value="balanced">balanced (inverse frequency)</option>
          </SelectField>
          <TextField label="Seed" name="seed" {...numberProps} step={1} min={0} value={draft.seed} onChange={(e) => update({ seed: e.target.value })} error={errorFor("seed")} />
          <div className="space-y-1 sm:col-span-2">
            <label className="flex items-center gap-2 pt-6 text-sm font-medium text-slate-700">
              <input type="checkbox" checked={draft.earlyStopping} onChange={(e) => update({ earlyStopping: e.target.checked })} />
              Early stopping on the validation loss
            </label>
            {draft.earlyStopping ? (
              <div className="max-w-48">
                <TextField label="Patience (epochs)" name="patience" {...numberProps} step={1} min={1} value={draft.patience} onChange={(e) => update({ patience: e.target.value })} error={errorFor("earlyStopping")} />
              </div>
            ) : null}
          </div>
        </div>
      </Section>

      <Section title="Tracking" description="The run is logged to this experiment (created if missing).">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Experiment" name="experiment" value={draft.experiment} onChange={(e) => update({ experiment: e.target.value })} error={errorFor("experiment")} />
          <TextField label="Run name (optional)" name="runName" value={draft.runName} onChange={(e) => update({ runName: e.target.value })} error={errorFor("runName")} />
        </div>
      </Section>

      <Section title="Registry" description="On success, the trained model becomes the next version of this registered model (created if missing).">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Register as model (optional)" name="registerModel" value={draft.registerModel} onChange={(e) => update({ registerModel: e.target.value })} error={errorFor("register.model")} />
          <TextField
            label="Alias (optional)"
            name="registerAlias"
            value={draft.registerAlias}
            disabled={!draft.registerModel.trim()}
            placeholder="champion"
            onChange={(e) => update({ registerAlias: e.target.value })}
            error={errorFor("register.alias")}
          />
        </div>
      </Section>
    </div>
  );
}
