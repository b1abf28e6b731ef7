import type { Run } from "@gantry/schema/tracking-contracts";

import { formatMetric } from "../format";

/** A chosen column of the runs table: `params.<key>` or `metrics.<key>`. */
export type ValueColumn = { kind: "params" | "metrics"; key: string };
export type SortKey = { kind: "attribute"; key: "start_time" | "run_name" | "status" } | ValueColumn;
export type Sort = SortKey & { descending: boolean };

export const defaultSort: Sort = { kind: "attribute", key: "start_time", descending: true };

export const columnId = (c: SortKey): string => `${c.kind === "attribute" ? "attributes" : c.kind}.${c.key}`;
export const sameColumn = (a: SortKey, b: SortKey): boolean => a.kind === b.kind && a.key === b.key;

function parseColumnId(id: string): SortKey | null {
  const dot = id.indexOf(".");
  const kind = id.slice(0, dot);
  const key = id.slice(dot + 1);
  if (dot < 1 || !key) return null;
  if (kind === "params" || kind === "metrics") return { kind, key };
  if (kind === "attributes" && (key === "start_time" || key === "run_name" || key === "status")) return { kind: "attribute", key };
  return null;
}

/** The URL form of columns: `params.lr,metrics.auc` (MLflow keys never hold commas). */
export const parseColumns = (value: string): ValueColumn[] =>
  value
    .split(",")
    .map(parseColumnId)
    .filter((c): c is ValueColumn => c !== null && c.kind !== "attribute");
export const serializeColumns = (columns: ValueColumn[]): string => columns.map(columnId).join(",");

/** The URL form of the sort: `metrics.auc:desc`. */
export function parseSort(value: string | null): Sort {
  if (!value) return defaultSort;
  const [id = "", direction] = value.split(/:(?=(?:asc|desc)$)/);
  const column = parseColumnId(id);
  return column ? { ...column, descending: direction !== "asc" } : defaultSort;
}
export const serializeSort = (sort: Sort): string => `${columnId(sort)}:${sort.descending ? "desc" : "asc"}`;

/** The search API's order_by entry; keys are backquoted so dots, dashes and spaces survive. */
export const orderByOf = (sort: Sort): string => `${sort.kind === "attribute" ? `attributes.${sort.key}` : `${sort.kind}.\`${sort.key}\``} ${sort.descending ? "DESC" : "ASC"}`;

/** A new header click: the same column flips; another starts with its natural direction. */
export function nextSort(current: Sort, clicked: SortKey): Sort {
  if (sameColumn(current, clicked)) return { ...current, descending: !current.descending };
  const descending = clicked.kind === "metrics" || (clicked.kind === "attribute" && clicked.key === "start_time");
  return { ...clicked, descending };
}

export function cellValue(run: Run, column: ValueColumn): string {
  if (column.kind === "params") return run.data.params.find((p) => p.key === column.key)?.value ?? "—";
  return formatMetric(run.data.metrics.find((m) => m.key === column.key)?.value);
}
