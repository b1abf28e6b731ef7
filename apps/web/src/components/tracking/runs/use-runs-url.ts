"use client";

import { useSearchParams } from "next/navigation";

import type { Sort, ValueColumn } from "./run-columns";
import { parseColumns, parseSort, serializeColumns, serializeSort } from "./run-columns";

/**
 * The runs table's view (filter, sort, columns) lives in the URL, so it survives a visit to a
 * run and back, and can be shared. Written with replaceState: tweaking a filter is not a page.
 */
export function useRunsUrlState() {
  const params = useSearchParams();
  const cols = params.get("cols");
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    const query = next.toString();
    window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
  };
  return {
    filter: params.get("filter") ?? "",
    sort: parseSort(params.get("sort")),
    /** Null until someone picks: the table then shows a default set. */
    columns: cols === null ? null : parseColumns(cols),
    setFilter: (filter: string) => update({ filter: filter || null }),
    setSort: (sort: Sort) => update({ sort: serializeSort(sort) }),
    setColumns: (columns: ValueColumn[]) => update({ cols: serializeColumns(columns) }),
  };
}
