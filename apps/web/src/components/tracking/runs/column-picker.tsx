"use client";

import { useRef, useState } from "react";

import type { ValueColumn } from "./run-columns";
import { sameColumn } from "./run-columns";

/** A disclosure of checkboxes: which params and metrics get a column in the runs table. */
export function ColumnPicker({ keys, columns, onChange }: { keys: { params: string[]; metrics: string[] }; columns: ValueColumn[]; onChange: (columns: ValueColumn[]) => void }) {
  const [find, setFind] = useState("");
  const disclosure = useRef<HTMLDetailsElement>(null);
  const chosen = (c: ValueColumn) => columns.some((x) => sameColumn(x, c));
  const toggle = (c: ValueColumn) => onChange(chosen(c) ? columns.filter((x) => !sameColumn(x, c)) : [...columns, c]);
  const match = (k: string) => k.toLowerCase().includes(find.trim().toLowerCase());
  const group = (kind: ValueColumn["kind"], legend: string, list: string[]) => (
    <fieldset className="min-w-0">
      <legend className="text-xs font-semibold uppercase tracking-wide text-slate-500">{legend}</legend>
      {list.length === 0 ? <p className="mt-1 text-sm text-slate-400">None logged</p> : null}
      <ul className="mt-1 space-y-1">
        {list.filter(match).map((key) => (
          <li key={key}>
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" checked={chosen({ kind, key })} onChange={() => toggle({ kind, key })} />
              <span className="truncate font-mono text-xs" title={key}>
                {key}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
  return (
    <details
      ref={disclosure}
      className="relative"
      onKeyDown={(e) => {
        if (e.key !== "Escape" || !disclosure.current?.open) return;
        disclosure.current.open = false;
        disclosure.current.querySelector("summary")?.focus();
      }}
    >
      <summary className="inline-flex cursor-pointer list-none items-center gap-2 rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
        Columns <span className="rounded-full bg-slate-100 px-1.5 text-xs text-slate-600">{columns.length}</span>
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-[min(90vw,28rem)] rounded-lg border border-slate-200 bg-white p-4 shadow-lg">
        <label className="block text-sm font-medium text-slate-700">
          Find a key
          <input value={find} onChange={(e) => setFind(e.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
        </label>
        <div className="mt-3 grid max-h-72 grid-cols-2 gap-4 overflow-y-auto">
          {group("params", "Params", keys.params)}
          {group("metrics", "Metrics", keys.metrics)}
        </div>
        <div className="mt-3 flex justify-end">
          <button type="button" className="text-sm text-slate-600 hover:underline" onClick={() => onChange([])}>
            Hide all
          </button>
        </div>
      </div>
    </details>
  );
}
