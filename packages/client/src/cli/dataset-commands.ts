import type { Command } from "commander";

import type { DatasetVersion } from "@gantry/schema/dataset-contracts";
import type { ColumnProfile, ColumnType } from "@gantry/schema/datasets";
import { columnTypes } from "@gantry/schema/datasets";

import type { GantryClient } from "../client";
import type { Io } from "./output";
import { emit } from "./output";
import { table } from "./table";
import { formatBytes, uploadProgress } from "./upload-progress";

type WithClient = (body: (client: GantryClient, json: boolean) => Promise<void>) => () => Promise<void>;

const date = (d: Date | string) => new Date(d).toISOString().replace("T", " ").slice(0, 19);
const num = (v: number | undefined) => {
  if (v === undefined) return "—";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return Math.abs(v) >= 1e15 || Math.abs(v) < 1e-4 ? v.toExponential(3) : String(Number(v.toPrecision(7)));
};

/** `--type zip=categorical --type price=numeric` → `{ zip: "categorical", price: "numeric" }`. */
export function parseTypeFlags(flags: string[]): Record<string, ColumnType> {
  const out: Record<string, ColumnType> = {};
  for (const flag of flags) {
    const eq = flag.lastIndexOf("=");
    const column = flag.slice(0, eq);
    const type = flag.slice(eq + 1);
    if (eq <= 0 || !(columnTypes as readonly string[]).includes(type)) {
      throw new Error(`--type takes COLUMN=TYPE with TYPE one of ${columnTypes.join(", ")}; got '${flag}'`);
    }
    out[column] = type as ColumnType;
  }
  return out;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** One line about a column's values: the range and mean for numbers and dates, the top values otherwise. */
function summary(column: ColumnProfile): string {
  if (column.type === "datetime" && column.min !== undefined && column.max !== undefined) return `${date(new Date(column.min))} … ${date(new Date(column.max))}`;
  if (column.min !== undefined) return `min ${num(column.min)}  mean ${num(column.mean)}  max ${num(column.max)}  std ${num(column.std)}`;
  return (column.top ?? [])
    .slice(0, 4)
    .map((t) => `${t.value.length > 24 ? `${t.value.slice(0, 24)}…` : t.value} (${t.count})`)
    .join(", ");
}

function describeVersion(v: DatasetVersion): string[] {
  const lines = [
    `dataset:  ${v.name}@${v.version} (${v.id})`,
    `file:     ${v.fileName ?? "—"}  ${formatBytes(v.size)}  sha256 ${v.sha256.slice(0, 12)}…`,
    `rows:     ${v.rowCount}   columns: ${v.columns.length}   uploaded ${date(v.createdAt)}`,
    ...(v.description ? [`about:    ${v.description}`] : []),
    "",
  ];
  const rows = v.columns.map((c, i) => {
    const p = v.profile.columns[i];
    const type = c.type === c.inferredType ? c.type : `${c.type} (inferred ${c.inferredType})`;
    const distinct = p?.distinct === undefined ? "—" : `${p.distinctCapped ? "≥" : ""}${p.distinct}`;
    return [c.name, type, String(p?.missing ?? 0), distinct, p ? summary(p) : ""];
  });
  return [...lines, ...table(["COLUMN", "TYPE", "MISSING", "DISTINCT", "SUMMARY"], rows)];
}

/** `gantry datasets upload|list|show`. */
export function addDatasetCommands(program: Command, io: Io, withClient: WithClient) {
  const datasets = program.command("datasets").description("versioned datasets (CSV) of the key's org");

  datasets
    .command("upload <file>")
    .description("upload a CSV as the next version of a dataset (identical content is not stored twice)")
    .requiredOption("--name <name>", "dataset name (letters, digits, '_', '.', '-')")
    .option("--description <text>", "what this version is")
    .option("--type <column=type>", `override a column's inferred type (${columnTypes.join(", ")}); repeatable`, collect, [])
    .action((file: string, opts: { name: string; description?: string; type: string[] }) =>
      withClient(async (client, json) => {
        const columnTypes = parseTypeFlags(opts.type);
        const progress = uploadProgress(io, `uploading ${file}`);
        let result;
        try {
          result = await client.datasets.upload(file, { name: opts.name, description: opts.description, columnTypes, onProgress: progress.update });
        } finally {
          progress.stop();
        }
        const { version, duplicate } = result;
        emit(io, json, result, () =>
          duplicate
            ? [`${version.name} already has this file as version ${version.version}: nothing new was stored.`]
            : [`Uploaded ${version.name} version ${version.version}: ${version.rowCount} rows, ${version.columns.length} columns (sha256 ${version.sha256.slice(0, 12)}…).`],
        );
      })(),
    );

  datasets
    .command("list")
    .description("datasets with their latest version")
    .action(() =>
      withClient(async (client, json) => {
        const list = await client.datasets.list();
        emit(io, json, list, () =>
          table(
            ["NAME", "VERSIONS", "LATEST", "ROWS", "COLUMNS", "SIZE", "UPDATED"],
            list.map((d) => [d.name, String(d.versionCount), d.latest ? String(d.latest.version) : "—", String(d.latest?.rowCount ?? "—"), String(d.latest?.columnCount ?? "—"), d.latest ? formatBytes(d.latest.size) : "—", date(d.updatedAt)]),
          ),
        );
      })(),
    );

  datasets
    .command("show <ref>")
    .description("a version's schema and profile: NAME (latest), NAME@VERSION or NAME@latest")
    .action((ref: string) =>
      withClient(async (client, json) => {
        const version = await client.datasets.version(ref);
        emit(io, json, version, () => describeVersion(version));
      })(),
    );
}
