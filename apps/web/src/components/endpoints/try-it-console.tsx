"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import type { Endpoint } from "@gantry/schema/serving-contracts";

import { Button } from "~/components/ui/button";
import { Alert, Badge, Card } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { exampleBody, parseInstances } from "./example-row";

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      type="button"
      variant="secondary"
      aria-label={label}
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => undefined);
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? "Copied" : "Copy"}
    </Button>
  );
}

const statusTone = (status: number) => (status < 300 ? "green" : status < 500 ? "amber" : "red");

/**
 * Sends rows to the endpoint through the serving port, as any client would (with a short-lived
 * key of yours), and shows the answer, its latency and the same call as a curl command.
 */
export function TryItConsole({ endpoint }: { endpoint: Endpoint }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const served = endpoint.model && endpoint.version !== null ? { name: endpoint.model, version: endpoint.version } : null;
  const version = useQuery({ ...trpc.model.version.queryOptions(served ?? { name: "-", version: 1 }), enabled: Boolean(served) });
  // Untouched, the body follows the served version's signature (a deploy changes it).
  const [draft, setDraft] = useState<string | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const body = draft ?? exampleBody(version.data?.signature);
  const send = useMutation(trpc.endpoint.tryPredict.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.endpoint.traffic.pathFilter()) }));
  const result = send.data;

  return (
    <Card title="Try it" description="A real request to the serving port, counted and logged like any other. The curl command does the same with your own key.">
      <form
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          try {
            const instances = parseInstances(body);
            setParseError(null);
            send.mutate({ name: endpoint.name, instances });
          } catch (error) {
            setParseError(error instanceof Error ? error.message : String(error));
          }
        }}
      >
        <label htmlFor="try-it-body" className="block text-sm font-medium text-slate-700">
          Request body (JSON)
        </label>
        <textarea
          id="try-it-body"
          value={body}
          onChange={(e) => setDraft(e.target.value)}
          rows={Math.min(16, body.split("\n").length + 1)}
          spellCheck={false}
          aria-invalid={parseError ? true : undefined}
          className="block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-xs shadow-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none"
        />
        {parseError ? (
          <p role="alert" className="text-sm text-red-600">
            {parseError}
          </p>
        ) : null}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" busy={send.isPending} disabled={!served || send.isPending}>
            Send
          </Button>
          {draft !== null ? (
            <Button type="button" variant="ghost" onClick={() => setDraft(null)}>
              Reset example
            </Button>
          ) : null}
          {!served ? <span className="text-sm text-slate-500">Deploy a model version first.</span> : null}
          {endpoint.status === "paused" ? <span className="text-sm text-amber-700">The endpoint is paused: it answers 503.</span> : null}
        </div>
      </form>
      {send.error ? (
        <div className="mt-4">
          <Alert>{errorInfo(send.error).message}</Alert>
        </div>
      ) : null}
      {result ? (
        <section aria-label="Try-it result" className="mt-4 space-y-3">
          <p className="flex flex-wrap items-center gap-3 text-sm">
            <span>
              Status{" "}
              <span data-testid="try-it-status">
                <Badge tone={statusTone(result.status)}>{result.status}</Badge>
              </span>
            </span>
            <span className="text-slate-600">
              Latency <span className="tabular-nums" data-testid="try-it-latency">{result.latencyMs} ms</span>
            </span>
            {result.requestId ? <span className="font-mono text-xs text-slate-500">request {result.requestId}</span> : null}
          </p>
          <pre aria-label="Response" className="max-h-80 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
            {typeof result.body === "string" ? result.body : JSON.stringify(result.body, null, 2)}
          </pre>
          <div>
            <div className="mb-1 flex items-center justify-between">
              <span className="text-sm font-medium text-slate-700">curl</span>
              <CopyButton text={result.curl} label="Copy curl command" />
            </div>
            <pre aria-label="curl command" className="overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800 ring-1 ring-slate-200">
              {result.curl}
            </pre>
          </div>
        </section>
      ) : null}
    </Card>
  );
}
