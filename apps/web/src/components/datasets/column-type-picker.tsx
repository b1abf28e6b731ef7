"use client";

import { columnTypes } from "@gantry/schema/datasets";
import type { ColumnType } from "@gantry/schema/datasets";

import { Table, Td } from "~/components/ui/table";

import { parseCsv } from "../tracking/run/artifact-content";

export type CsvHead = { columns: string[]; rows: string[][] };

const HEAD_BYTES = 64 * 1024;
const SAMPLE_ROWS = 3;

/** The header and first rows of a chosen file, read in the browser (the first 64 KB only). */
export async function readCsvHead(file: File): Promise<CsvHead | null> {
  const text = (await file.slice(0, HEAD_BYTES).text()).replace(/^\uFEFF/, "");
  // A cut-off read ends mid-row: drop the partial last line.
  const whole = file.size > HEAD_BYTES ? text.slice(0, text.lastIndexOf("\n") + 1) : text;
  const [columns, ...rows] = parseCsv(whole, { maxRows: SAMPLE_ROWS + 1 }).filter((r) => r.some((f) => f !== ""));
  return columns?.length ? { columns, rows } : null;
}

/**
 * Optional type overrides, one per column, before the upload: "inferred" leaves the column to the
 * server's inference. A value that does not fit the chosen type fails the upload, naming it.
 */
export function ColumnTypePicker({ head, overrides, onChange, error }: { head: CsvHead; overrides: Record<string, ColumnType>; onChange: (next: Record<string, ColumnType>) => void; error: { field: string | null; message: string } | null }) {
  const errorColumn = error?.field?.startsWith("columnTypes.") ? error.field.slice("columnTypes.".length) : null;
  const set = (column: string, value: string) => {
    const next = { ...overrides };
    if (value === "") delete next[column];
    else next[column] = value as ColumnType;
    onChange(next);
  };
  return (
    <details className="rounded-md border border-slate-200 px-4 py-2" open={Boolean(error)}>
      <summary className="cursor-pointer text-sm font-medium text-slate-700">
        Column types (optional){Object.keys(overrides).length ? ` — ${Object.keys(overrides).length} overridden` : ""}
      </summary>
      <p className="mt-1 text-xs text-slate-500">Types are inferred from every row on upload. Override one when inference would guess wrong, e.g. a numeric code that is really a category.</p>
      {error && !errorColumn ? (
        <p role="alert" className="mt-2 text-sm text-red-600">
          {error.message}
        </p>
      ) : null}
      <div className="mt-2 max-h-96 overflow-auto px-5">
        <Table head={["Column", "First values", "Type"]} caption="Column types">
          {head.columns.map((column, i) => (
            <tr key={`${i}-${column}`}>
              <Td className="font-mono text-xs">{column}</Td>
              <Td className="max-w-xs truncate font-mono text-xs text-slate-500">{head.rows.map((r) => r[i] ?? "").join(", ")}</Td>
              <Td>
                <select
                  aria-label={`Type of ${column}`}
                  value={overrides[column] ?? ""}
                  aria-invalid={errorColumn === column ? true : undefined}
                  onChange={(e) => set(column, e.target.value)}
                  className={`rounded-md border bg-white px-2 py-1 text-sm ${errorColumn === column ? "border-red-400" : "border-slate-300"}`}
                >
                  <option value="">inferred</option>
                  {columnTypes.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
                {errorColumn === column ? (
                  <p role="alert" className="mt-1 text-sm text-red-600">
                    {error?.message}
                  </p>
                ) : null}
              </Td>
            </tr>
          ))}
        </Table>
      </div>
    </details>
  );
}
