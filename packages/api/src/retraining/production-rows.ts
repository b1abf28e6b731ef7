import type { Readable } from "node:stream";

import { sql } from "@gantry/db";
import type { ColumnType, DatasetVersion, RetrainPolicy, RetrainRunProductionRows, TrainingSpecInput } from "@gantry/schema";
import { GantryError } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { createDatasetVersion, resolveDatasetVersion } from "../datasets";
import { describeType } from "../datasets/values";
import { endpointByName } from "../serving/lookup";
import { csvField, inputCell, labelCell } from "./production-cells";

/*
 * Labelled production rows as a new dataset version, for a retraining run: the policy endpoint's
 * logged predictions of the last `days` days whose feedback carries a label (one set-based query,
 * the org's rows only), each written as a row of the spec's dataset — the inputs in the dataset's
 * columns, the label in the target column — appended to the latest version's file and uploaded
 * through `createDatasetVersion` (the same checks, profile and dedup as any upload; every column
 * keeps its type). A row whose inputs are not the dataset's (another signature) or do not fit a
 * column's type, or whose label does not fit the target's, is skipped and counted.
 */

/** Rows taken at most when the policy sets no `maxRows` (the newest first). */
export const PRODUCTION_ROWS_DEFAULT_MAX = 100_000;

export type ProductionRowsOutcome = {
  base: DatasetVersion;
  targetType: ColumnType;
  /** The new version (or, for identical content, the existing one); null when no row qualified. */
  version: DatasetVersion | null;
  /** Whether `version` was made here (its bytes are released if the caller's transaction rolls back). */
  created: boolean;
  added: number;
  skipped: { inputs: number; label: number };
  /** The previous run's selection time this one continued from (rows up to it are in `base`). */
  since: string | null;
  record: RetrainRunProductionRows;
};

type LoggedRow = { features: unknown; label: string; at: string };

/**
 * Builds and uploads the version for a run of `policy`. `ctx.db` should be the caller's
 * transaction: the version row then commits (or rolls back) with the run that trains on it.
 */
export async function addProductionRows(ctx: OrgContext, store: ArtifactStore, policy: RetrainPolicy): Promise<ProductionRowsOutcome> {
  const spec = policy.spec as TrainingSpecInput;
  const config = policy.productionRows;
  const endpoint = await endpointByName(ctx, policy.endpoint);
  const timeColumn = spec.split?.kind === "time" ? spec.split.column : undefined;
  const base = await resolveDatasetVersion(ctx, { name: spec.dataset.name });
  const target = base.columns.find((c) => c.name === spec.target);
  if (!target) throw new GantryError("INVALID_INPUT", `target column '${spec.target}' not in dataset '${base.name}@${base.version}'`, { field: "spec.target" });
  const since = await continuesFrom(ctx, endpoint.id, base.id);
  const [clock] = (await ctx.db.execute(sql`select to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as now`)) as unknown as { now: string }[];
  const asOf = clock?.now ?? new Date().toISOString();
  const logged = await labelledRows(ctx, { endpointId: endpoint.id, asOf, since, days: config.days, limit: config.maxRows ?? PRODUCTION_ROWS_DEFAULT_MAX });

  const names = new Set(base.columns.map((c) => c.name));
  const targetProfile = base.profile.columns.find((c) => c.name === spec.target);
  const skipped = { inputs: 0, label: 0 };
  const lines: string[] = [];
  for (const row of logged) {
    const features = row.features;
    const keys = features && typeof features === "object" && !Array.isArray(features) ? Object.keys(features) : null;
    // Another signature: an input the dataset does not have, or none of the ones it has.
    if (!keys?.length || keys.some((k) => !names.has(k))) {
      skipped.inputs += 1;
      continue;
    }
    const values = features as Record<string, unknown>;
    const cells: string[] = [];
    let fault: "inputs" | "label" | null = null;
    for (const column of base.columns) {
      const cell =
        column.name === spec.target
          ? labelCell(column.type, row.label, targetProfile)
          : column.name === timeColumn && values[column.name] === undefined
            ? row.at
            : inputCell(column.type, values[column.name]);
      if (cell === undefined) {
        fault = column.name === spec.target ? "label" : "inputs";
        break;
      }
      cells.push(csvField(cell));
    }
    if (fault) skipped[fault] += 1;
    else lines.push(cells.join(","));
  }

  const record = (version: DatasetVersion | null): RetrainRunProductionRows => ({
    asOf,
    baseVersion: base.version,
    version: version?.version ?? null,
    versionId: version?.id ?? null,
    added: version ? lines.length : 0,
    skipped: skipped.inputs + skipped.label,
  });
  if (!lines.length) return { base, targetType: target.type, version: null, created: false, added: 0, skipped, since, record: record(null) };

  const { version, duplicate } = await createDatasetVersion(ctx, store, {
    name: base.name,
    body: appended(await store.get(base.sha256), lines),
    fileName: `${base.name}-v${base.version}-production.csv`,
    description: `v${base.version} + ${lines.length} labelled production rows of ${endpoint.name} (last ${config.days} days), retraining policy ${policy.name}`,
    // Every column keeps its type: a cell that did not fit was skipped above.
    columnTypes: Object.fromEntries(base.columns.map((c) => [c.name, c.type])),
    // Made by the platform from a version that was within the limit, plus at most maxRows rows.
    maxBytes: Number.MAX_SAFE_INTEGER,
  });
  return { base, targetType: target.type, version, created: !duplicate, added: lines.length, skipped, since, record: record(version) };
}

/** What the timeline says about it, with a link to the version trained on. */
export function productionRowsEvent(o: ProductionRowsOutcome, days: number): { message: string; links: Record<string, string> } {
  const reasons = [
    o.skipped.inputs ? `${o.skipped.inputs} whose inputs do not match the dataset's columns` : "",
    o.skipped.label ? `${o.skipped.label} whose label is not ${describeType[o.targetType]}` : "",
  ].filter(Boolean);
  const skipped = reasons.length ? `; skipped ${reasons.join(", ")}` : "";
  const window = `the last ${days === 1 ? "day" : `${days} days`}${o.since ? " (new since the last run's rows)" : ""}`;
  if (!o.version) return { message: `no ${reasons.length ? "usable " : ""}labelled production rows from ${window}${skipped}: no new dataset version, training on ${o.base.name} v${o.base.version}`, links: { dataset: `${o.base.name}/${o.base.version}` } };
  return {
    message: `${o.added} labelled production ${o.added === 1 ? "row" : "rows"} from ${window} added to ${o.base.name} v${o.base.version}: new version ${o.version.version}${o.created ? "" : " (already there: same content)"}${skipped}`,
    links: { dataset: `${o.version.name}/${o.version.version}` },
  };
}

/**
 * The selection time of the run that made `versionId` from this endpoint's traffic, if one did: its
 * rows are in that version already, so only rows logged or labelled after it are new.
 */
async function continuesFrom(ctx: OrgContext, endpointId: string, versionId: string): Promise<string | null> {
  const [row] = (await ctx.db.execute(sql`
    select r.production_rows ->> 'asOf' as "asOf"
      from retrain_runs r join retrain_policies p on p.id = r.policy_id
     where r.org_id = ${ctx.orgId} and p.endpoint_id = ${endpointId} and r.production_rows ->> 'versionId' = ${versionId}
     order by r.created_at desc limit 1`)) as unknown as { asOf: string | null }[];
  return row?.asOf ?? null;
}

/**
 * The window's labelled predictions, newest first: one query over the log joined with the feedback
 * as performance monitoring joins them (endpoint, request id, row), both sides held to the org. A
 * request logged twice (a shadow's mirror) counts once; failed predictions are left out.
 */
async function labelledRows(ctx: OrgContext, q: { endpointId: string; asOf: string; since: string | null; days: number; limit: number }): Promise<LoggedRow[]> {
  return (await ctx.db.execute(sql`
    select t.features, t.label, to_char(t.created_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
      from (
        select distinct on (l.request_id, l.row_index) l.request_id, l.row_index, l.created_at, l.features, f.label
          from prediction_log l
          join prediction_feedback f on f.endpoint_id = l.endpoint_id and f.request_id = l.request_id and f.row_index = l.row_index
         where l.org_id = ${ctx.orgId} and f.org_id = ${ctx.orgId} and l.endpoint_id = ${q.endpointId}
           and l.created_at >= ${q.asOf}::timestamptz - make_interval(days => ${q.days}) and l.created_at <= ${q.asOf}::timestamptz
           and l.status = 200 and f.label is not null and f.label <> ''
           ${q.since ? sql`and (l.created_at > ${q.since}::timestamptz or f.updated_at > ${q.since}::timestamptz)` : sql``}
         order by l.request_id, l.row_index, l.created_at
      ) t
     order by t.created_at desc, t.request_id, t.row_index
     limit ${q.limit}`)) as unknown as LoggedRow[];
}

/**
 * The base version's bytes as stored, then the new rows, ending lines as the file does (csv-parse
 * keeps the first line ending it sees), after a line break if the file lacks a final one.
 */
async function* appended(base: Readable, lines: string[]): AsyncGenerator<Uint8Array, void, undefined> {
  let eol: string | null = null;
  let last = 0x0a;
  for await (const chunk of base as AsyncIterable<Buffer>) {
    if (!chunk.length) continue;
    if (eol === null) {
      const text = chunk.toString("latin1");
      const i = text.search(/[\r\n]/);
      // A CR that ends the chunk is taken as CRLF, by far the likelier.
      if (i >= 0) eol = text[i] === "\r" ? (text[i + 1] === "\n" || i === text.length - 1 ? "\r\n" : "\r") : "\n";
    }
    last = chunk[chunk.length - 1] ?? last;
    yield chunk;
  }
  const end = eol ?? "\n";
  const encoder = new TextEncoder();
  let text = last === 0x0a || last === 0x0d ? "" : end;
  for (const line of lines) {
    text += line + end;
    if (text.length > 64 * 1024) {
      yield encoder.encode(text);
      text = "";
    }
  }
  if (text) yield encoder.encode(text);
}
