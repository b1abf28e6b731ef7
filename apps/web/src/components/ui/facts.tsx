import type { ReactNode } from "react";

/** A page's key facts in a card of label/value pairs (a run's, a job's, a dataset version's). */
export function Facts({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <dl aria-label={label} className="mb-6 grid grid-cols-2 gap-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm sm:grid-cols-3 xl:grid-cols-4">
      {children}
    </dl>
  );
}

export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm break-words text-slate-900">{children}</dd>
    </div>
  );
}
