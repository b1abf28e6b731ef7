"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import type { RegisteredModel } from "@gantry/schema/registry-contracts";

import { Button } from "~/components/ui/button";
import { Alert, Card } from "~/components/ui/card";
import { TextField } from "~/components/ui/field";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

/** A model's description and tags, editable in place. */
export function ModelDetails({ model }: { model: RegisteredModel }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(trpc.model.pathFilter());
  const [description, setDescription] = useState<string | null>(null);
  const [tag, setTag] = useState({ key: "", value: "" });
  const update = useMutation(trpc.model.update.mutationOptions({ onSuccess: async () => (setDescription(null), refresh()) }));
  const setModelTag = useMutation(trpc.model.setTag.mutationOptions({ onSuccess: async () => (setTag({ key: "", value: "" }), refresh()) }));
  const deleteTag = useMutation(trpc.model.deleteTag.mutationOptions({ onSuccess: refresh }));
  const error = update.error ?? setModelTag.error ?? deleteTag.error;
  const tags = Object.entries(model.tags).sort(([a], [b]) => a.localeCompare(b));

  return (
    <Card title="About">
      <div className="space-y-5">
        {description === null ? (
          <div className="flex items-start justify-between gap-3">
            <p className="text-sm whitespace-pre-wrap text-slate-700">{model.description ?? <span className="text-slate-400">No description.</span>}</p>
            <Button variant="secondary" onClick={() => setDescription(model.description ?? "")}>
              Edit description
            </Button>
          </div>
        ) : (
          <form
            className="space-y-2"
            onSubmit={(e) => {
              e.preventDefault();
              update.mutate({ name: model.name, description: description.trim() || null });
            }}
          >
            <label className="block text-sm font-medium text-slate-700">
              Description
              <textarea className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
            </label>
            <div className="flex gap-2">
              <Button type="submit" busy={update.isPending}>
                Save description
              </Button>
              <Button type="button" variant="ghost" onClick={() => setDescription(null)}>
                Cancel
              </Button>
            </div>
          </form>
        )}
        <div>
          <h3 className="mb-2 text-sm font-semibold text-slate-900">Tags</h3>
          {tags.length ? (
            <ul className="mb-3 flex flex-wrap gap-2" aria-label="Model tags">
              {tags.map(([key, value]) => (
                <li key={key} className="flex items-center gap-1 rounded-md bg-slate-100 py-0.5 pr-1 pl-2 font-mono text-xs text-slate-700">
                  {key}={value}
                  <button type="button" className="rounded px-1 hover:bg-slate-200" aria-label={`Remove tag ${key}`} onClick={() => deleteTag.mutate({ name: model.name, key })}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <form
            noValidate
            className="grid items-end gap-3 sm:grid-cols-[1fr_2fr_auto]"
            onSubmit={(e) => {
              e.preventDefault();
              if (tag.key.trim()) setModelTag.mutate({ name: model.name, tag: { key: tag.key.trim(), value: tag.value } });
            }}
          >
            <TextField label="Tag key" value={tag.key} onChange={(e) => setTag({ ...tag, key: e.target.value })} />
            <TextField label="Tag value" value={tag.value} onChange={(e) => setTag({ ...tag, value: e.target.value })} />
            <Button type="submit" variant="secondary" busy={setModelTag.isPending} disabled={!tag.key.trim()}>
              Add tag
            </Button>
          </form>
        </div>
        {error ? <Alert>{errorInfo(error).message}</Alert> : null}
      </div>
    </Card>
  );
}
