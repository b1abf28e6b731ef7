"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";

import type { ColumnType } from "@gantry/schema/datasets";

import { Alert, Card } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/field";
import { ProgressBar } from "~/components/ui/progress-bar";
import { useTRPC } from "~/trpc/react";

import { formatBytes } from "../tracking/format";
import { ColumnTypePicker, readCsvHead } from "./column-type-picker";
import type { CsvHead } from "./column-type-picker";
import { versionHref } from "./format";
import type { UploadProgress } from "./upload-request";
import { nameFromFile, UploadError, uploadDatasetVersion } from "./upload-request";

/**
 * Uploads a CSV as a new dataset, or as the next version of `dataset` when given. The first rows
 * are read in the browser so that column types can be overridden before anything is sent.
 */
export function UploadForm({ org, dataset }: { org: string; dataset?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [name, setName] = useState(dataset ?? "");
  const [description, setDescription] = useState("");
  const [head, setHead] = useState<CsvHead | null>(null);
  const [overrides, setOverrides] = useState<Record<string, ColumnType>>({});
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [localError, setLocalError] = useState<{ field: string; message: string } | null>(null);

  const upload = useMutation({
    mutationFn: (input: { name: string; file: File }) =>
      uploadDatasetVersion({ org, name: input.name, file: input.file, description: description.trim() || undefined, columnTypes: overrides, onProgress: setProgress }),
    onSuccess: async () => {
      setFile(null);
      setHead(null);
      setOverrides({});
      setDescription("");
      setFileKey((k) => k + 1);
      if (!dataset) setName("");
      await queryClient.invalidateQueries(trpc.dataset.pathFilter());
    },
  });
  const failure = localError ?? (upload.error instanceof UploadError ? { field: upload.error.field, message: upload.error.message } : upload.error ? { field: null, message: upload.error.message } : null);
  const fieldError = (field: string) => (failure?.field === field ? failure.message.replace(/^[\w.]+: /, "") : null);
  const overrideErrors = failure?.field?.startsWith("columnTypes") ? failure : null;

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setOverrides({});
    setHead(null);
    setLocalError(null);
    upload.reset();
    if (!chosen) return;
    if (!dataset && !name) setName(nameFromFile(chosen.name));
    setHead(await readCsvHead(chosen).catch(() => null));
  };

  const sent = progress && progress.total > 0 ? progress.loaded / progress.total : 0;
  const processing = upload.isPending && sent >= 1;

  return (
    <Card
      title={dataset ? "Upload a new version" : "Upload a dataset"}
      description={dataset ? "A CSV with the same columns or new ones; identical content is recognised and not stored twice." : "A CSV with a header row. Its schema is inferred and every column profiled; uploading to an existing name adds a version."}
    >
      <form
        className="space-y-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const trimmed = name.trim();
          if (!file) return setLocalError({ field: "file", message: "Choose a CSV file to upload" });
          if (!trimmed) return setLocalError({ field: "name", message: "name is required" });
          setLocalError(null);
          setProgress({ loaded: 0, total: file.size });
          upload.mutate({ name: trimmed, file });
        }}
      >
        <div className={`grid items-start gap-4 ${dataset ? "md:grid-cols-2" : "md:grid-cols-3"}`}>
          <div className="space-y-1">
            <label htmlFor={fileId} className="block text-sm font-medium text-slate-700">
              CSV file
            </label>
            <input
              key={fileKey}
              id={fileId}
              type="file"
              name="file"
              accept=".csv,.txt,text/csv"
              aria-invalid={fieldError("file") ? true : undefined}
              aria-describedby={fieldError("file") ? `${fileId}-error` : undefined}
              onChange={(e) => void choose(e.target.files?.[0] ?? null)}
              className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:text-sm file:font-medium file:text-brand-700 hover:file:bg-brand-100"
            />
            {file ? <p className="text-xs text-slate-500">{formatBytes(file.size)}</p> : null}
            {fieldError("file") ? (
              <p id={`${fileId}-error`} role="alert" className="text-sm text-red-600">
                {fieldError("file")}
              </p>
            ) : null}
          </div>
          {dataset ? null : <TextField label="Dataset name" name="name" value={name} required error={fieldError("name")} onChange={(e) => setName(e.target.value)} placeholder="churn" hint="Letters, digits, '_', '.', '-'." />}
          <TextField label="Description (optional)" name="description" value={description} error={fieldError("description")} onChange={(e) => setDescription(e.target.value)} placeholder="What changed in this version" />
        </div>
        {head ? <ColumnTypePicker head={head} overrides={overrides} onChange={setOverrides} error={overrideErrors} /> : null}
        {upload.isPending && progress ? (
          <div className="space-y-1" aria-live="polite">
            <ProgressBar value={sent} label="Upload progress" />
            <p className="text-xs text-slate-500">
              {processing ? "Uploaded; profiling the columns…" : `Uploading ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)} (${Math.round(sent * 100)}%)`}
            </p>
          </div>
        ) : null}
        {failure && (!failure.field || failure.field === "content-type" || failure.field === "maxBytes") ? <Alert>{failure.message}</Alert> : null}
        <Button type="submit" busy={upload.isPending}>
          {dataset ? "Upload version" : "Upload dataset"}
        </Button>
      </form>
      {upload.isSuccess ? (
        <div className="mt-4">
          <Alert tone="success">
            {upload.data.duplicate ? "This content already was " : "Uploaded "}
            <Link className="font-medium underline" href={versionHref(org, upload.data.version.name, upload.data.version.version)}>
              {upload.data.version.name} v{upload.data.version.version}
            </Link>
            {` — ${upload.data.version.rowCount.toLocaleString()} rows, ${upload.data.version.columnCount} columns.`}
          </Alert>
        </div>
      ) : null}
    </Card>
  );
}
