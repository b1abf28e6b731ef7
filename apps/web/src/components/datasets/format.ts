import type { ColumnType } from "@gantry/schema/datasets";

import { formatMetric } from "../tracking/format";

/** How dataset figures are shown: counts, shares of rows and column values by type. */

export const formatCount = (n: number | undefined): string => (n === undefined ? "—" : n.toLocaleString());

export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return "—";
  const p = (part / whole) * 100;
  if (p === 0) return "0%";
  if (p < 0.1) return "<0.1%";
  return `${Number(p.toFixed(p < 10 ? 1 : 0))}%`;
}

/** A profile number in its column's terms: datetimes (epoch ms in the profile) as dates. */
export function formatColumnValue(type: ColumnType, value: number | undefined): string {
  if (value === undefined) return "—";
  if (type === "datetime") {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? "—" : d.toISOString().replace("T00:00:00.000Z", "").replace(".000Z", "Z");
  }
  return formatMetric(value);
}

/** Columns the profile summarises as numbers (histogram, moments, quantiles). */
export const isNumberType = (type: ColumnType): boolean => type === "numeric" || type === "integer" || type === "datetime";

/** The portal's URL of a dataset, a version of it, and the file of a version. */
export const datasetHref = (org: string, name: string) => `/o/${org}/datasets/${encodeURIComponent(name)}`;
export const versionHref = (org: string, name: string, version: number | "latest") => `${datasetHref(org, name)}/versions/${version}`;
export const downloadHref = (org: string, name: string, version: number) =>
  `/api/v1/datasets/${encodeURIComponent(name)}/versions/${version}/download?org=${encodeURIComponent(org)}`;
