"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import type { TrainingSpecInput } from "@gantry/schema/training";

import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import type { DraftError, SpecDraft } from "./spec-draft";
import { defaultDraft, draftToSpec, DraftInvalid, guessTarget } from "./spec-draft";

/**
 * A training spec being edited: the draft, the chosen dataset version's columns (its schema
 * builds the fields), and the errors of the last attempt, local or the API's, by field.
 * `prefix` is where the spec sits in the API's input (`spec`, or `config.base` for a sweep).
 */
/** Spec fields the form shows errors beside; an error naming any other goes in an alert. */
const specFieldNames = [
  ...["dataset.name", "dataset.version", "target", "task", "features", "split.kind", "split.column", "split.validation", "split.test"],
  ...["model.hiddenLayers", "model.activation", "model.dropout", "model.l2", "optimizer", "learningRate", "epochs", "batchSize", "earlyStopping", "classWeights", "seed", "experiment", "runName"],
];

export function useSpecDraft({ dataset, prefix }: { dataset: SpecDraft["dataset"]; prefix: string }) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState<SpecDraft>(() => defaultDraft(dataset));
  const [localError, setLocalError] = useState<DraftError | null>(null);
  const version = useQuery({ ...trpc.dataset.version.queryOptions(draft.dataset), enabled: Boolean(draft.dataset.name) });
  const columns = version.data?.columns ?? [];

  // A new schema: keep the target if the new columns have it, else guess one (during render, not in an effect).
  const [schemaOf, setSchemaOf] = useState<string | null>(null);
  if (version.data && schemaOf !== version.data.id) {
    setSchemaOf(version.data.id);
    const names = new Set(version.data.columns.map((c) => c.name));
    if (!names.has(draft.target)) setDraft((d) => ({ ...d, target: guessTarget(version.data.columns), excluded: d.excluded.filter((n) => names.has(n)) }));
  }

  const update = (change: Partial<SpecDraft>) => {
    setLocalError(null);
    setDraft((d) => ({ ...d, ...change }));
  };

  return {
    draft,
    update,
    columns,
    version,
    /** The spec to send, or null after recording why it cannot be sent. */
    toSpec: (): TrainingSpecInput | null => {
      try {
        const spec = draftToSpec(draft, columns, prefix);
        setLocalError(null);
        return spec;
      } catch (error) {
        if (error instanceof DraftInvalid) {
          setLocalError(error.error);
          return null;
        }
        throw error;
      }
    },
    /** The error for a spec field (`epochs`, `model.dropout` …): local, else from `apiError` when it names that field (or one inside it). */
    errorsFrom: (apiError: unknown) => {
      const api = apiError ? errorInfo(apiError) : null;
      const failure = localError ?? (api?.field ? { field: api.field, message: api.message } : null);
      const errorFor = (field: string): string | null => {
        const full = `${prefix}.${field}`;
        if (!failure || (failure.field !== full && !failure.field.startsWith(`${full}.`))) return null;
        return failure.message.replace(/^[\w.]+: /, "");
      };
      const failureField = (localError ?? api)?.field ?? null;
      const inline = failureField !== null && specFieldNames.some((f) => errorFor(f) !== null);
      /** The failure unless a field shows it: for an alert by the submit button. */
      return { errorFor, general: inline ? null : (localError ?? api) };
    },
  };
}

export type SpecDraftState = ReturnType<typeof useSpecDraft>;
