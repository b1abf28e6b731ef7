/** How an artifact is previewed, from its name (stored content types are whatever the client sent). */
export type PreviewKind = "image" | "json" | "csv" | "text";

const images = new Set(["png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "avif"]);

export function previewKind(path: string): PreviewKind {
  const name = path.split("/").at(-1) ?? "";
  const ext = name.includes(".") ? (name.split(".").at(-1)?.toLowerCase() ?? "") : "";
  if (images.has(ext)) return "image";
  if (ext === "json") return "json";
  if (ext === "csv" || ext === "tsv") return "csv";
  // Everything else is tried as text; binary content is detected once read.
  return "text";
}

export const artifactUrl = ({ org, runId, path }: { org: string; runId: string; path: string }) =>
  `/api/v1/runs/${encodeURIComponent(runId)}/artifact?path=${encodeURIComponent(path)}&org=${encodeURIComponent(org)}`;

/** The first `maxBytes` of a response as text: a 2 GB log is previewed without downloading it. */
export async function readTextPrefix(response: Response, maxBytes: number): Promise<{ text: string; truncated: boolean; binary: boolean }> {
  if (!response.body) return { text: "", truncated: false, binary: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= maxBytes) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  const bytes = new Uint8Array(Math.min(size, maxBytes));
  let offset = 0;
  for (const c of chunks) {
    const part = c.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
    if (offset >= bytes.length) break;
  }
  const binary = bytes.subarray(0, 8000).includes(0);
  return { text: new TextDecoder().decode(bytes), truncated, binary };
}

/** RFC 4180 CSV (quotes, doubled quotes, newlines in quotes), up to `maxRows` rows. */
export function parseCsv(text: string, { delimiter = ",", maxRows }: { delimiter?: string; maxRows: number }): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < maxRows; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if ((field !== "" || row.length) && rows.length < maxRows) rows.push([...row, field]);
  return rows;
}
