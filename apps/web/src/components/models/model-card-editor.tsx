"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import type { ModelVersion } from "@gantry/schema/registry-contracts";

import { Button } from "~/components/ui/button";
import { Alert, Card, EmptyState } from "~/components/ui/card";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { Markdown } from "./markdown";

const TEMPLATE = "## Intended use\n\n## Training data\n\n## Evaluation\n\n## Limitations\n";

/** The version's model card: markdown, edited beside a live preview. */
export function ModelCardEditor({ version }: { version: ModelVersion }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation(
    trpc.model.updateVersion.mutationOptions({
      onSuccess: async () => {
        setDraft(null);
        await queryClient.invalidateQueries(trpc.model.pathFilter());
      },
    }),
  );
  const card = version.modelCard ?? "";

  return (
    <Card
      title="Model card"
      description="What the model is for, what it was trained on, how it was evaluated and where it falls short. Markdown; HTML is not rendered."
      actions={
        draft === null ? (
          <Button variant="secondary" onClick={() => setDraft(card || TEMPLATE)}>
            Edit model card
          </Button>
        ) : undefined
      }
    >
      {draft === null ? (
        card ? (
          <div data-testid="model-card">
            <Markdown source={card} />
          </div>
        ) : (
          <EmptyState>No model card yet.</EmptyState>
        )
      ) : (
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ name: version.name, version: version.version, modelCard: draft.trim() ? draft : null });
          }}
        >
          <div className="grid gap-4 lg:grid-cols-2">
            <label className="block text-sm font-medium text-slate-700">
              Markdown
              <textarea
                className="mt-1 block h-80 w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-xs shadow-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none"
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
              />
            </label>
            <div>
              <span className="block text-sm font-medium text-slate-700">Preview</span>
              <div aria-label="Model card preview" role="region" className="mt-1 h-80 overflow-y-auto rounded-md border border-slate-200 px-3 py-2">
                <Markdown source={draft} />
              </div>
            </div>
          </div>
          {save.error ? <Alert>{errorInfo(save.error).message}</Alert> : null}
          <div className="flex gap-2">
            <Button type="submit" busy={save.isPending}>
              Save model card
            </Button>
            <Button type="button" variant="ghost" onClick={() => setDraft(null)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
    </Card>
  );
}
