"use client";

import Link from "next/link";
import type { ReactNode } from "react";

import type { Run } from "@gantry/schema/tracking-contracts";

import type { HeadCell } from "~/components/ui/table";
import { Table, Td } from "~/components/ui/table";

import { formatDuration, formatTime } from "../format";
import { StatusBadge } from "../status-badge";
import type { Sort, SortKey, ValueColumn } from "./run-columns";
import { cellValue, columnId, sameColumn } from "./run-columns";

type Selection = { selected: ReadonlySet<string>; onToggle: (runs: Run[], on: boolean) => void };

function sortHeader({ label, column, sort, onSort }: { label: ReactNode; column: SortKey; sort?: Sort; onSort?: (column: SortKey) => void }): HeadCell {
  const active = sort && sameColumn(sort, column);
  const direction = active ? (sort.descending ? "descending" : "ascending") : undefined;
  if (!onSort) return { label, sort: direction };
  return {
    sort: direction,
    label: (
      <button type="button" onClick={() => onSort(column)} className="group inline-flex items-center gap-1 uppercase tracking-wide hover:text-slate-800">
        {label}
        <span aria-hidden className={active ? "text-slate-700" : "text-slate-300 group-hover:text-slate-400"}>
          {active && !sort.descending ? "▲" : "▼"}
        </span>
      </button>
    ),
  };
}

/** Runs with their chosen param and metric columns; headers sort, checkboxes select. */
export function RunsTable({ runs, org, columns, caption, sort, onSort, selection }: { runs: Run[]; org: string; columns: ValueColumn[]; caption: string; sort?: Sort; onSort?: (column: SortKey) => void; selection?: Selection }) {
  const allSelected = selection ? runs.length > 0 && runs.every((r) => selection.selected.has(r.info.id)) : false;
  const head: (ReactNode | HeadCell)[] = [
    ...(selection
      ? [{ label: <input type="checkbox" aria-label="Select all runs on this page" checked={allSelected} onChange={(e) => selection.onToggle(runs, e.target.checked)} />, className: "w-8" }]
      : []),
    sortHeader({ label: "Name", column: { kind: "attribute", key: "run_name" }, sort, onSort }),
    sortHeader({ label: "Status", column: { kind: "attribute", key: "status" }, sort, onSort }),
    sortHeader({ label: "Started", column: { kind: "attribute", key: "start_time" }, sort, onSort }),
    "Duration",
    "User",
    ...columns.map((c) =>
      sortHeader({
        label: (
          <span className="normal-case tracking-normal">
            <span className="text-slate-400">{c.kind === "params" ? "param " : "metric "}</span>
            <span className="font-mono">{c.key}</span>
          </span>
        ),
        column: c,
        sort,
        onSort,
      }),
    ),
  ];
  return (
    <Table head={head} caption={caption}>
      {runs.map((r) => {
        const checked = selection?.selected.has(r.info.id) ?? false;
        return (
          <tr key={r.info.id} className={checked ? "bg-brand-50/60" : "hover:bg-slate-50"}>
            {selection ? (
              <Td className="w-8">
                <input type="checkbox" aria-label={`Select ${r.info.name}`} checked={checked} onChange={(e) => selection.onToggle([r], e.target.checked)} />
              </Td>
            ) : null}
            <Td className="max-w-xs truncate font-medium">
              <Link className="text-brand-600 hover:underline" href={`/o/${org}/runs/${r.info.id}`}>
                {r.info.name || r.info.id.slice(0, 8)}
              </Link>
            </Td>
            <Td>
              <StatusBadge status={r.info.status} />
            </Td>
            <Td className="whitespace-nowrap text-slate-600">{formatTime(r.info.startTime)}</Td>
            <Td className="whitespace-nowrap text-slate-600">{formatDuration(r.info.startTime, r.info.endTime)}</Td>
            <Td className="max-w-[10rem] truncate text-slate-600">{r.info.userId ?? "—"}</Td>
            {columns.map((c) => (
              <Td key={columnId(c)} className={`whitespace-nowrap font-mono text-xs ${c.kind === "metrics" ? "tabular-nums" : ""}`}>
                {cellValue(r, c)}
              </Td>
            ))}
          </tr>
        );
      })}
    </Table>
  );
}
