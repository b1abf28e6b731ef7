"use client";

import type { XAxis } from "~/components/charts/line-option";

/** Step or wall time on the x axis of every metric chart on the page. */
export function XAxisSwitch({ value, onChange }: { value: XAxis; onChange: (value: XAxis) => void }) {
  const option = (v: XAxis, label: string) => (
    <label className={`cursor-pointer px-3 py-1.5 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-500 ${value === v ? "bg-brand-600 text-white" : "bg-white text-slate-700 hover:bg-slate-50"}`}>
      <input type="radio" name="x-axis" value={v} checked={value === v} onChange={() => onChange(v)} className="sr-only" />
      {label}
    </label>
  );
  return (
    <fieldset className="flex items-center gap-2">
      <legend className="sr-only">X axis</legend>
      <span aria-hidden className="text-sm text-slate-600">
        X axis
      </span>
      <div className="inline-flex overflow-hidden rounded-md ring-1 ring-slate-300">
        {option("step", "Step")}
        {option("time", "Wall time")}
      </div>
    </fieldset>
  );
}
