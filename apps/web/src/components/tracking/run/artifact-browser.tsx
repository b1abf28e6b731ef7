"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { Alert, Card, EmptyState } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { formatBytes } from "../format";
import { ArtifactPreview } from "./artifact-preview";

type Entry = { path: string; isDir: boolean; fileSize?: number };

function EntryIcon({ folder }: { folder: boolean }) {
  return (
    <svg aria-hidden viewBox="0 0 16 16" className={`size-4 shrink-0 ${folder ? "fill-amber-400" : "fill-none stroke-slate-400"}`}>
      {folder ? <path d="M1.5 3.5a1 1 0 0 1 1-1h3.6l1.4 1.5h6a1 1 0 0 1 1 1v7.5a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z" /> : <path d="M3.5 1.5h6l3 3v10h-9zM9.5 1.5v3h3" strokeWidth="1.2" strokeLinejoin="round" />}
    </svg>
  );
}

function Breadcrumbs({ dir, onOpen }: { dir: string; onOpen: (dir: string) => void }) {
  const parts = dir ? dir.split("/") : [];
  return (
    <nav aria-label="Artifact folder" className="mb-2 flex flex-wrap items-center gap-1 text-sm">
      <button type="button" className="font-medium text-brand-600 hover:underline" onClick={() => onOpen("")} aria-current={parts.length === 0 ? "location" : undefined}>
        artifacts
      </button>
      {parts.map((part, i) => (
        <span key={i} className="flex items-center gap-1">
          <span aria-hidden className="text-slate-400">
            /
          </span>
          <button type="button" className="text-brand-600 hover:underline" onClick={() => onOpen(parts.slice(0, i + 1).join("/"))} aria-current={i === parts.length - 1 ? "location" : undefined}>
            {part}
          </button>
        </span>
      ))}
    </nav>
  );
}

/** The run's artifact tree, one folder at a time, with a preview of the chosen file. */
export function ArtifactBrowser({ org, runId }: { org: string; runId: string }) {
  const trpc = useTRPC();
  const [dir, setDir] = useState("");
  const [file, setFile] = useState<Entry | null>(null);
  const listing = useQuery(trpc.run.artifacts.queryOptions({ runId, ...(dir ? { path: dir } : {}) }));
  const entries = [...(listing.data?.files ?? [])].sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.path.localeCompare(b.path));
  const open = (next: string) => {
    setDir(next);
    setFile(null);
  };

  return (
    <Card title="Artifacts" description={listing.data?.rootUri}>
      {listing.error ? <Alert>{errorInfo(listing.error).message}</Alert> : null}
      {listing.isSuccess && !dir && entries.length === 0 ? (
        <EmptyState>No artifacts logged.</EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-[minmax(14rem,1fr)_2fr]">
          <div className="min-w-0">
            <Breadcrumbs dir={dir} onOpen={open} />
            <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label={`Contents of ${dir || "artifacts"}`}>
              {entries.map((e) => {
                const name = e.path.split("/").at(-1) ?? e.path;
                const current = file?.path === e.path;
                return (
                  <li key={e.path}>
                    <button
                      type="button"
                      onClick={() => (e.isDir ? open(e.path) : setFile(e))}
                      aria-current={current ? "true" : undefined}
                      className={`flex w-full items-center justify-between gap-3 px-3 py-2 text-left text-sm ${current ? "bg-brand-50 text-brand-700" : "hover:bg-slate-50"}`}
                    >
                      <span className="flex min-w-0 items-center gap-2">
                        <EntryIcon folder={e.isDir} />
                        <span className="truncate font-mono text-xs">{name}</span>
                        {e.isDir ? <span className="sr-only">(folder)</span> : null}
                      </span>
                      <span className="shrink-0 text-xs text-slate-500">{e.isDir ? "" : formatBytes(e.fileSize)}</span>
                    </button>
                  </li>
                );
              })}
              {listing.isSuccess && entries.length === 0 ? <li className="px-3 py-2 text-sm text-slate-500">Empty folder</li> : null}
            </ul>
          </div>
          <div className="min-w-0">{file ? <ArtifactPreview org={org} runId={runId} path={file.path} size={file.fileSize} /> : <EmptyState>Choose a file to preview it.</EmptyState>}</div>
        </div>
      )}
    </Card>
  );
}
