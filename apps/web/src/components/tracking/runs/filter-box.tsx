"use client";

import { useId, useState } from "react";

import { Button } from "~/components/ui/button";

/** `Invalid filter at position 14: unexpected token 'x' (…)`, 1-based, as the search parser reports it. */
export function parseFilterError(message: string): { position: number; detail: string } | null {
  const m = /at position (\d+): (.*)$/s.exec(message);
  return m ? { position: Number(m[1]) - 1, detail: m[2] ?? "" } : null;
}

/** The filter as typed, the offending token underlined and a caret under its first character. */
function FilterAtFault({ filter, position }: { filter: string; position: number }) {
  const at = Math.min(Math.max(position, 0), filter.length);
  const tokenEnd = at >= filter.length ? at : Math.max(at + 1, at + (/^\S*/.exec(filter.slice(at))?.[0].length ?? 1));
  const token = filter.slice(at, tokenEnd) || " ";
  return (
    <pre className="mt-2 overflow-x-auto rounded bg-white/70 px-2 py-1.5 font-mono text-xs leading-5 text-slate-800" data-testid="filter-error-source">
      {filter.slice(0, at)}
      <mark className="bg-red-100 text-red-800 underline decoration-red-600 decoration-wavy underline-offset-4">{token}</mark>
      {filter.slice(tokenEnd)}
      {"\n"}
      <span className="text-red-600" aria-hidden>
        {" ".repeat(at)}^
      </span>
    </pre>
  );
}

/**
 * The run filter: MLflow's grammar, applied on Enter. A rejected filter is shown back with the
 * position the server reported, so a typo deep in a long filter is found at a glance.
 */
export function FilterBox({ applied, error, onApply }: { applied: string; error: string | null; onApply: (filter: string) => void }) {
  const id = useId();
  const [draft, setDraft] = useState(applied);
  const located = error ? parseFilterError(error) : null;
  return (
    <form
      role="search"
      aria-label="Search runs"
      className="space-y-1"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft.trim());
      }}
    >
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        Filter runs
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="metrics.auc > 0.9 and params.lr = '0.01'"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-${error ? "error" : "hint"}`}
          className={`block w-full rounded-md border bg-white px-3 py-2 font-mono text-sm shadow-sm placeholder:text-slate-400 focus:outline-none focus:ring-2 ${
            error ? "border-red-400 focus:ring-red-200" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100"
          }`}
        />
        <Button type="submit" variant="secondary">
          Apply
        </Button>
        {applied ? (
          <Button
            type="button"
            variant="ghost"
            onClick={() => {
              setDraft("");
              onApply("");
            }}
          >
            Clear
          </Button>
        ) : null}
      </div>
      {error ? (
        <div id={`${id}-error`} role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="filter-error">
          <p>{located ? `Position ${located.position + 1}: ${located.detail}` : error}</p>
          {located ? <FilterAtFault filter={applied} position={located.position} /> : null}
        </div>
      ) : (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          Clauses joined by <code>and</code>: <code>metrics.auc &gt; 0.9</code>, <code>params.optimizer = &apos;adam&apos;</code>, <code>tags.team LIKE &apos;ml-%&apos;</code>,{" "}
          <code>attributes.status = &apos;FINISHED&apos;</code>. Press Enter to apply.
        </p>
      )}
    </form>
  );
}
