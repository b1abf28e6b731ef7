"use client";

import { useQuery } from "@tanstack/react-query";

import { SelectField } from "~/components/ui/field";
import { useTRPC } from "~/trpc/react";

import type { SpecDraft } from "./spec-draft";

type Dataset = SpecDraft["dataset"];

/**
 * The dataset and version a spec trains on. `allowLatest` offers "latest" (schedules resolve it
 * at each firing); otherwise a version is pinned, the newest by default.
 */
export function DatasetPicker({ value, onChange, allowLatest = false, errorFor }: { value: Dataset; onChange: (next: Dataset) => void; allowLatest?: boolean; errorFor: (field: string) => string | null }) {
  const trpc = useTRPC();
  const datasets = useQuery(trpc.dataset.list.queryOptions());
  const detail = useQuery({ ...trpc.dataset.get.queryOptions({ name: value.name }), enabled: Boolean(value.name) });
  const versions = detail.data?.versions ?? [];
  const pick = (name: string) => {
    const latest = datasets.data?.find((d) => d.name === name)?.latest?.version;
    onChange({ name, version: allowLatest || latest === undefined ? "latest" : latest });
  };
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <SelectField label="Dataset" name="dataset" value={value.name} onChange={(e) => pick(e.target.value)} error={errorFor("dataset.name")}>
        <option value="" disabled>
          {datasets.isPending ? "Loading…" : datasets.data?.length ? "Choose a dataset" : "No datasets yet: upload one first"}
        </option>
        {value.name && datasets.data && !datasets.data.some((d) => d.name === value.name) ? <option value={value.name}>{value.name}</option> : null}
        {datasets.data?.map((d) => (
          <option key={d.id} value={d.name}>
            {d.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Version"
        name="version"
        value={String(value.version)}
        disabled={!value.name}
        onChange={(e) => onChange({ ...value, version: e.target.value === "latest" ? "latest" : Number(e.target.value) })}
        error={errorFor("dataset.version")}
      >
        {allowLatest ? <option value="latest">latest (at each run)</option> : null}
        {!allowLatest && value.version === "latest" ? <option value="latest">latest</option> : null}
        {value.version !== "latest" && !versions.some((v) => v.version === value.version) ? <option value={value.version}>v{value.version}</option> : null}
        {versions.map((v) => (
          <option key={v.id} value={v.version}>
            v{v.version} — {v.rowCount.toLocaleString()} rows{v.description ? `, ${v.description}` : ""}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
