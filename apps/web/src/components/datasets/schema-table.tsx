import type { DatasetVersion } from "@gantry/schema/dataset-contracts";
import type { ColumnProfile } from "@gantry/schema/datasets";

import { Badge, Card } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";

import { formatColumnValue, formatCount, formatPercent, isNumberType } from "./format";

function summaryOf(p: ColumnProfile, rows: number): string {
  if (isNumberType(p.type) && p.min !== undefined) {
    const range = `${formatColumnValue(p.type, p.min)} … ${formatColumnValue(p.type, p.max)}`;
    return p.type === "datetime" ? range : `${range}, mean ${formatColumnValue(p.type, p.mean)}`;
  }
  if (p.top?.length) {
    return p.top
      .slice(0, 3)
      .map((t) => `${t.value} (${formatPercent(t.count, rows)})`)
      .join(", ");
  }
  return "—";
}

/** One row per column: its type (and what inference said, when overridden), missing share, distinct count and a one-line summary. */
export function SchemaTable({ version }: { version: DatasetVersion }) {
  const profiles = new Map(version.profile.columns.map((p) => [p.name, p]));
  const rows = version.profile.rowCount;
  return (
    <Card title="Schema" description={`${version.columns.length} columns, ${formatCount(rows)} rows`}>
      <Table head={["Column", "Type", "Inferred type", { label: "Missing", className: "text-right" }, { label: "Distinct", className: "text-right" }, "Summary"]} caption="Schema">
        {version.columns.map((c) => {
          const p = profiles.get(c.name);
          const overridden = c.type !== c.inferredType;
          return (
            <tr key={c.name}>
              <Td className="font-mono text-xs font-medium">
                <a href={`#profile-${encodeURIComponent(c.name)}`} className="hover:underline">
                  {c.name}
                </a>
              </Td>
              <Td>
                <Badge tone={overridden ? "amber" : "blue"}>{c.type}</Badge>
              </Td>
              <Td className="text-xs text-slate-600">
                {c.inferredType}
                {overridden ? <span className="ml-1 text-amber-700">(overridden)</span> : null}
              </Td>
              <Td className={`text-right tabular-nums ${p && p.missing > 0 ? "text-amber-700" : "text-slate-600"}`}>{p ? formatPercent(p.missing, rows) : "—"}</Td>
              <Td className="text-right tabular-nums text-slate-600">
                {p?.distinct === undefined ? "—" : `${p.distinctCapped ? "≥ " : ""}${formatCount(p.distinct)}`}
              </Td>
              <Td className="max-w-sm truncate font-mono text-xs text-slate-600">
                {p ? summaryOf(p, rows) : "—"}
              </Td>
            </tr>
          );
        })}
      </Table>
    </Card>
  );
}
