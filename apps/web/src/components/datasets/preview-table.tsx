"use client";

import { useQuery } from "@tanstack/react-query";

import { Alert, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

const PREVIEW_ROWS = 20;

const isRightAligned = (type: string) => type === "numeric" || type === "integer";

/** The first rows as written in the file; missing cells stand out. */
export function PreviewTable({ name, version }: { name: string; version: number }) {
  const trpc = useTRPC();
  const preview = useQuery(trpc.dataset.preview.queryOptions({ name, version, limit: PREVIEW_ROWS }));
  const columns = preview.data?.columns ?? [];
  return (
    <Card title="Preview" description={`The first ${PREVIEW_ROWS} rows.`}>
      {preview.error ? <Alert>{errorInfo(preview.error).message}</Alert> : null}
      {preview.isPending ? <EmptyState>Loading rows…</EmptyState> : null}
      {preview.data ? (
        <div className="max-h-[32rem] overflow-auto px-5">
          <Table head={columns.map((c) => ({ label: <span className="font-mono normal-case tracking-normal">{c.name}</span>, className: isRightAligned(c.type) ? "text-right" : undefined }))} caption="Preview rows">
            {preview.data.rows.map((row, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <Td key={c.name} className={`whitespace-nowrap font-mono text-xs ${isRightAligned(c.type) ? "text-right tabular-nums" : ""}`}>
                    {row[c.name] ?? <span className="text-slate-400">∅</span>}
                  </Td>
                ))}
              </tr>
            ))}
          </Table>
        </div>
      ) : null}
    </Card>
  );
}
