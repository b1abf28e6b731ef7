import type { ColumnType } from "@gantry/schema/datasets";

/** What the upload answers (JSON, so dates are strings): the version and whether it already existed. */
export type UploadedVersion = { version: { name: string; version: number; rowCount: number; columnCount: number }; duplicate: boolean };

/** A refused upload: the server's message and the field it names (`name`, `file`, `columnTypes.<column>` …). */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly field: string | null,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

export type UploadProgress = { loaded: number; total: number };

/**
 * POST /api/v1/datasets/{name}/versions as a multipart form, the session cookie authenticating
 * it and the org in `x-gantry-org` (as tRPC calls send it). XMLHttpRequest, not fetch: only its
 * upload events report how much of the file has gone. The small fields come before the file, as
 * the server reads them before it streams the file.
 */
export function uploadDatasetVersion({
  org,
  name,
  file,
  description,
  columnTypes,
  onProgress,
  signal,
}: {
  org: string;
  name: string;
  file: File;
  description?: string;
  columnTypes?: Record<string, ColumnType>;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}): Promise<UploadedVersion> {
  const form = new FormData();
  if (description) form.append("description", description);
  if (columnTypes && Object.keys(columnTypes).length) form.append("columnTypes", JSON.stringify(columnTypes));
  form.append("file", file, file.name);

  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/datasets/${encodeURIComponent(name)}/versions`);
    xhr.setRequestHeader("x-gantry-org", org);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      const body = xhr.response as (UploadedVersion & { error?: undefined }) | { error?: { message?: string; field?: string | null } } | null;
      if (xhr.status >= 200 && xhr.status < 300 && body && "version" in body) resolve(body);
      else reject(new UploadError(body?.error?.message ?? `The upload failed (HTTP ${xhr.status})`, body?.error?.field ?? null));
    };
    xhr.onerror = () => reject(new UploadError("The upload was interrupted: check the connection and try again", null));
    xhr.onabort = () => reject(new UploadError("The upload was cancelled", null));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/** A dataset name from a file name: `Churn 2024.csv` → `Churn_2024`. */
export const nameFromFile = (fileName: string): string =>
  fileName
    .replace(/\.[^.]*$/, "")
    .replace(/[^A-Za-z0-9_.-]+/g, "_")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 100);
