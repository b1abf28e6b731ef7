"use client";

import { useState } from "react";

import { Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";

import { isSystemTag } from "../format";

type KeyValue = { key: string; value: string };

function KeyValueTable({ rows, caption }: { rows: KeyValue[]; caption: string }) {
  return (
    <Table head={["Key", "Value"]} caption={caption}>
      {[...rows]
        .sort((a, b) => a.key.localeCompare(b.key))
        .map((r) => (
          <tr key={r.key}>
            <Td className="whitespace-nowrap font-mono text-xs text-slate-600">{r.key}</Td>
            <Td className="max-w-md font-mono text-xs break-all">{r.value}</Td>
          </tr>
        ))}
    </Table>
  );
}

export function ParamsCard({ params }: { params: KeyValue[] }) {
  return (
    <Card title="Parameters" description={`${params.length} logged`}>
      {params.length ? <KeyValueTable rows={params} caption="Parameters" /> : <EmptyState>No parameters logged.</EmptyState>}
    </Card>
  );
}

/** Tags, with MLflow's own bookkeeping (`mlflow.*`) folded away until asked for. */
export function TagsCard({ tags }: { tags: KeyValue[] }) {
  const [showSystem, setShowSystem] = useState(false);
  const system = tags.filter((t) => isSystemTag(t.key)).length;
  const shown = showSystem ? tags : tags.filter((t) => !isSystemTag(t.key));
  return (
    <Card
      title="Tags"
      description={`${tags.length - system} ${tags.length - system === 1 ? "tag" : "tags"}${system ? `, ${system} system` : ""}`}
      actions={
        system ? (
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={showSystem} onChange={(e) => setShowSystem(e.target.checked)} />
            Show system tags (mlflow.*)
          </label>
        ) : undefined
      }
    >
      {shown.length ? <KeyValueTable rows={shown} caption="Tags" /> : <EmptyState>No tags{system ? " besides system tags" : ""}.</EmptyState>}
    </Card>
  );
}
