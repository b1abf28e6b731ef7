"use client";

import Link from "next/link";

import type { ModelVersion } from "@gantry/schema/registry-contracts";

import { Badge } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";

import { formatMetric } from "../tracking/format";
import { AliasBadges } from "./alias-badges";
import { keyMetrics } from "./key-metrics";
import { modelVersionHref } from "./links";

export const statusTone = { ready: "green", pending: "amber", failed: "red" } as const;

/** A model's versions with their key metrics; the checkboxes pick versions to compare. */
export function VersionsTable({ org, versions, selected, onToggle }: { org: string; versions: ModelVersion[]; selected: number[]; onToggle: (version: number, on: boolean) => void }) {
  const metrics = keyMetrics(versions.map((v) => v.metrics));
  return (
    <Table
      head={[{ label: <span className="sr-only">Compare</span> }, "Version", "Aliases", "Status", ...metrics.map((m) => ({ label: m, className: "text-right" })), "Source run", "Registered"]}
      caption="Versions"
    >
      {versions.map((v) => (
        <tr key={v.id} className={`hover:bg-slate-50 ${v.archived ? "text-slate-400" : ""}`}>
          <Td>
            <input type="checkbox" aria-label={`Compare v${v.version}`} checked={selected.includes(v.version)} onChange={(e) => onToggle(v.version, e.target.checked)} />
          </Td>
          <Td className="font-medium">
            <Link className="text-brand-600 hover:underline" href={modelVersionHref(org, v.name, v.version)}>
              v{v.version}
            </Link>
            {v.description ? <p className="max-w-xs truncate text-xs font-normal text-slate-500">{v.description}</p> : null}
          </Td>
          <Td>
            <AliasBadges aliases={v.aliases} />
          </Td>
          <Td>
            <span className="inline-flex gap-1">
              <Badge tone={statusTone[v.status]}>{v.status}</Badge>
              {v.archived ? <Badge>archived</Badge> : null}
            </span>
          </Td>
          {metrics.map((m) => (
            <Td key={m} className="text-right tabular-nums">
              {formatMetric(v.metrics[m])}
            </Td>
          ))}
          <Td>
            {v.sourceRunId ? (
              <Link className="font-mono text-xs text-brand-600 hover:underline" href={`/o/${org}/runs/${v.sourceRunId}`}>
                {v.sourceRunId.slice(0, 8)}
              </Link>
            ) : (
              "—"
            )}
          </Td>
          <Td className="whitespace-nowrap text-slate-600">{v.createdAt.toLocaleString()}</Td>
        </tr>
      ))}
    </Table>
  );
}
