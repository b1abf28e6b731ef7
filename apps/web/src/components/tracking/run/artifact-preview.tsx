"use client";

import { useQuery } from "@tanstack/react-query";

import { Alert, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";

import { formatBytes } from "../format";
import { artifactUrl, parseCsv, previewKind, readTextPrefix } from "./artifact-content";

const MAX_PREVIEW_BYTES = 1024 * 1024;
const CSV_ROWS = 200;

function prettyJson(text: string, truncated: boolean): string {
  if (truncated) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function CsvPreview({ text, truncated, path }: { text: string; truncated: boolean; path: string }) {
  // A cut-off read ends mid-row: drop the partial last line.
  const whole = truncated ? text.slice(0, text.lastIndexOf("\n") + 1) : text;
  const [header = [], ...rows] = parseCsv(whole, { delimiter: path.toLowerCase().endsWith(".tsv") ? "\t" : ",", maxRows: CSV_ROWS + 1 });
  return (
    <>
      <div className="max-h-[32rem] overflow-auto px-5">
        <Table head={header} caption={`Contents of ${path}`}>
          {rows.map((r, i) => (
            <tr key={i}>
              {header.map((_, j) => (
                <Td key={j} className="whitespace-nowrap font-mono text-xs">
                  {r[j] ?? ""}
                </Td>
              ))}
            </tr>
          ))}
        </Table>
      </div>
      <p className="mt-2 text-xs text-slate-500">{rows.length >= CSV_ROWS ? `First ${CSV_ROWS} rows.` : `${rows.length} rows.`}</p>
    </>
  );
}

/** An artifact's content, by kind: images inline, JSON pretty, CSV as a table, other text as is. */
export function ArtifactPreview({ org, runId, path, size }: { org: string; runId: string; path: string; size?: number }) {
  const url = artifactUrl({ org, runId, path });
  const kind = previewKind(path);
  const content = useQuery({
    queryKey: ["artifact-preview", runId, path],
    enabled: kind !== "image",
    staleTime: 60_000,
    queryFn: async () => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(((await response.json().catch(() => null)) as { message?: string } | null)?.message ?? `Could not read ${path} (${response.status})`);
      return readTextPrefix(response, MAX_PREVIEW_BYTES);
    },
  });
  return (
    <div className="space-y-3" data-testid="artifact-preview">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-mono text-sm font-semibold break-all text-slate-900">{path}</h3>
        <a href={url} download className="text-sm font-medium text-brand-600 hover:underline">
          Download{size !== undefined ? ` (${formatBytes(size)})` : ""}
        </a>
      </div>
      {kind === "image" ? (
        // An authenticated, user-supplied image: next/image's optimiser cannot fetch it.
        // eslint-disable-next-line @next/next/no-img-element
        <img src={url} alt={path} className="max-h-[32rem] max-w-full rounded border border-slate-200" />
      ) : content.error ? (
        <Alert>{content.error.message}</Alert>
      ) : !content.data ? (
        <EmptyState>Loading…</EmptyState>
      ) : content.data.binary ? (
        <EmptyState>Binary file: no preview. Download it instead.</EmptyState>
      ) : kind === "csv" ? (
        <CsvPreview text={content.data.text} truncated={content.data.truncated} path={path} />
      ) : (
        <pre className="max-h-[32rem] overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-5 text-slate-100">
          {kind === "json" ? prettyJson(content.data.text, content.data.truncated) : content.data.text}
        </pre>
      )}
      {content.data?.truncated ? <p className="text-xs text-slate-500">Showing the first {formatBytes(MAX_PREVIEW_BYTES)}.</p> : null}
    </div>
  );
}
