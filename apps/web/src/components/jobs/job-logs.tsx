"use client";

import { useEffect, useRef, useState } from "react";

import type { JobLogLine } from "@gantry/schema/job-contracts";

import { Alert, Card, EmptyState } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPCClient } from "~/trpc/react";

const PAGE = 500;
/** Lines kept on screen: the tail of a long log. */
const KEPT = 2000;
const POLL_MS = 1500;

/**
 * The job's log, tailed: each poll asks for the lines after the last id seen, while the job is
 * active, and once more when it finishes (its last lines are written with the final status).
 */
function useLogTail(jobId: string, active: boolean) {
  const client = useTRPCClient();
  const [lines, setLines] = useState<JobLogLine[]>([]);
  const [error, setError] = useState<unknown>(null);
  const after = useRef(0);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        for (;;) {
          const page = await client.job.logs.query({ jobId, after: after.current, limit: PAGE });
          if (stopped) return;
          if (page.items.length) {
            after.current = page.lastId;
            setLines((prev) => [...prev, ...page.items].slice(-KEPT));
          }
          if (page.items.length < PAGE) break;
        }
        setError(null);
      } catch (e) {
        if (!stopped) setError(e);
      }
      if (!stopped && active) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, jobId, active]);

  return { lines, error };
}

const levelClass = { info: "text-slate-200", warn: "text-amber-300", error: "text-red-300" } as const;

export function JobLogs({ jobId, active }: { jobId: string; active: boolean }) {
  const { lines, error } = useLogTail(jobId, active);
  const box = useRef<HTMLOListElement>(null);
  const pinned = useRef(true);

  // Follow the tail unless the reader scrolled up.
  useEffect(() => {
    const el = box.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  return (
    <Card title="Log" description={active ? "Live: new lines appear as the worker writes them." : `${lines.length} lines`}>
      {error ? <Alert>{errorInfo(error).message}</Alert> : null}
      {lines.length === 0 && !error ? <EmptyState>No log lines yet.</EmptyState> : null}
      {lines.length ? (
        <ol
          ref={box}
          role="log"
          aria-label="Job log"
          aria-live="off"
          onScroll={(e) => {
            const el = e.currentTarget;
            pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
          }}
          className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-5"
        >
          {lines.map((l) => (
            <li key={l.id} className="flex gap-3">
              <time dateTime={l.at.toISOString()} className="shrink-0 text-slate-500">
                {l.at.toLocaleTimeString()}
              </time>
              <span className={`break-all whitespace-pre-wrap ${levelClass[l.level]}`}>{l.message}</span>
            </li>
          ))}
        </ol>
      ) : null}
    </Card>
  );
}
