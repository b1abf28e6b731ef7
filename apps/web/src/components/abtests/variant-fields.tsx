"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId } from "react";

import { Button } from "~/components/ui/button";
import { SelectField } from "~/components/ui/field";
import { useTRPC } from "~/trpc/react";

import type { Choice, VariantRow } from "./start-input";

/** The server's default variant names: the first is the control. */
export const variantName = (index: number) => (index === 0 ? "control" : index === 1 ? "treatment" : `treatment-${index}`);

/** An accessible percent slider with its number shown next to it. */
export function PercentSlider({ label, value, onChange, error }: { label: string; value: number; onChange: (value: number) => void; error?: string | null }) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="flex items-center gap-3">
        <input
          id={id}
          type="range"
          min={0}
          max={100}
          step={1}
          value={value}
          aria-valuetext={`${value}%`}
          aria-invalid={error ? true : undefined}
          onChange={(e) => onChange(Number(e.target.value))}
          className="w-full accent-brand-600"
        />
        <output htmlFor={id} className="w-12 text-right text-sm font-semibold tabular-nums text-slate-900">
          {value}%
        </output>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * One variant: a registered model and one of its ready versions or aliases (as the deploy form
 * picks them), and for a split its weight. An empty or stale pick falls to the first version
 * other than `avoidVersion` (the control's), so a new row starts on a real candidate.
 */
export function VariantFields({
  index,
  row,
  onChange,
  onRemove,
  avoidVersion,
  showWeight,
  errors,
}: {
  index: number;
  row: VariantRow;
  onChange: (row: VariantRow) => void;
  onRemove?: () => void;
  avoidVersion?: number | null;
  showWeight: boolean;
  errors: { model: string | null; weight: string | null };
}) {
  const trpc = useTRPC();
  const models = useQuery(trpc.model.list.queryOptions());
  const model = row.model || models.data?.[0]?.name || "";
  const versions = useQuery({ ...trpc.model.versions.queryOptions({ name: model }), enabled: Boolean(model) });
  const registered = models.data?.find((m) => m.name === model);
  const pickable = (versions.data ?? []).filter((v) => !v.archived && v.status === "ready").sort((a, b) => a.version - b.version);
  const options: { value: Choice; label: string; version: number }[] = [
    ...(registered?.aliases ?? []).map((a) => ({ value: `alias:${a.alias}` as const, label: `@${a.alias} (v${a.version})`, version: a.version })),
    ...pickable.map((v) => ({ value: `version:${v.version}` as const, label: `v${v.version}`, version: v.version })),
  ];
  const valid = Boolean(row.choice) && options.some((o) => o.value === row.choice);
  const fallback = options.find((o) => o.value.startsWith("version:") && o.version !== avoidVersion) ?? options[0];

  useEffect(() => {
    if (model && model !== row.model) onChange({ ...row, model });
    else if (versions.isSuccess && !valid && fallback) onChange({ ...row, choice: fallback.value });
  }, [model, row, versions.isSuccess, valid, fallback, onChange]);

  const name = variantName(index);
  return (
    <fieldset className="rounded-md border border-slate-200 p-3" aria-label={`Variant ${name}`}>
      <legend className="px-1 text-sm font-semibold text-slate-900">
        {name} {index === 0 ? <span className="font-normal text-slate-500">— what the endpoint serves now</span> : null}
      </legend>
      <div className={`grid items-start gap-3 ${showWeight ? "lg:grid-cols-[1fr_1fr_1.4fr_auto]" : "lg:grid-cols-[1fr_1fr_auto]"}`}>
        <SelectField label={`Model of ${name}`} value={model} onChange={(e) => onChange({ model: e.target.value, choice: "", weight: row.weight })} error={errors.model}>
          {models.data?.length ? null : <option value="">{models.isPending ? "Loading…" : "No registered models"}</option>}
          {models.data?.map((m) => (
            <option key={m.id} value={m.name}>
              {m.name}
            </option>
          ))}
        </SelectField>
        <SelectField label={`Version or alias of ${name}`} value={valid ? row.choice : ""} onChange={(e) => onChange({ ...row, model, choice: e.target.value as Choice })}>
          {options.length ? null : <option value="">{versions.isPending && model ? "Loading…" : "No ready versions"}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
        {showWeight ? <PercentSlider label={`Weight of ${name} (%)`} value={row.weight} onChange={(weight) => onChange({ ...row, model, weight })} error={errors.weight} /> : null}
        {onRemove ? (
          <Button type="button" variant="ghost" className="self-end" aria-label={`Remove variant ${name}`} onClick={onRemove}>
            Remove
          </Button>
        ) : null}
      </div>
    </fieldset>
  );
}
