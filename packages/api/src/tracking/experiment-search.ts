import type { SQL } from "@gantry/db";
import { and, eq, inArray, sql } from "@gantry/db";
import { experiments, GantryError } from "@gantry/schema";
import type { Experiment, ViewType } from "@gantry/schema";

import type { OrgContext } from "../context";
import { hydrateExperiments, viewTypeStages } from "./experiments";
import { decodeOffsetToken, encodeOffsetToken } from "./page-token";

export type SearchExperimentsInput = { filter?: string; orderBy?: string[]; maxResults?: number; pageToken?: string; viewType?: ViewType };

const attributeColumns = { name: experiments.name, creation_time: experiments.creationTime, last_update_time: experiments.lastUpdateTime } as const;
type Attribute = keyof typeof attributeColumns;
const numeric = new Set<Attribute>(["creation_time", "last_update_time"]);

const invalid = (message: string, field = "filter") => new GantryError("INVALID_INPUT", message, { field });

/** Splits on AND outside quotes. */
function splitClauses(filter: string): string[] {
  const parts: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"' || c === "`") quote = c;
    else if (/^\sand\s/i.test(filter.slice(i, i + 5))) {
      parts.push(filter.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  if (quote) throw invalid(`Invalid filter: unterminated quote ${quote}`);
  parts.push(filter.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

const CLAUSE = /^(?:(attributes?|attr)\.)?(?:(tags?)\.)?("[^"]+"|`[^`]+`|[\w.]+)\s*(=|!=|>=|<=|>|<|\bLIKE\b|\bILIKE\b)\s*(.+)$/i;

function clauseSql(text: string): SQL {
  const m = CLAUSE.exec(text);
  if (!m) throw invalid(`Invalid filter clause '${text}': expected <name|tags.key|creation_time|last_update_time> <op> <value>`);
  const [, , isTag, rawKey = "", rawOp = "", rawValue = ""] = m;
  const key = rawKey.replace(/^["`]|["`]$/g, "");
  const op = rawOp.toUpperCase();
  const quoted = /^(['"])(.*)\1$/s.exec(rawValue.trim());
  if (isTag) {
    if (!quoted) throw invalid(`Invalid filter clause '${text}': tag values are quoted strings`);
    if (!["=", "!=", "LIKE", "ILIKE"].includes(op)) throw invalid(`Invalid filter clause '${text}': tags take =, !=, LIKE or ILIKE`);
    const value = quoted[2] ?? "";
    return sql`exists (select 1 from experiment_tags t where t.experiment_id = ${experiments.id} and t.key = ${key} and t.value ${sql.raw(op)} ${value})`;
  }
  if (!(key in attributeColumns)) throw invalid(`Invalid filter clause '${text}': unknown attribute '${key}' (name, creation_time, last_update_time, tags.<key>)`);
  const attribute = key as Attribute;
  const column = attributeColumns[attribute];
  if (numeric.has(attribute)) {
    const n = Number(rawValue.trim());
    if (quoted || !Number.isFinite(n) || ["LIKE", "ILIKE"].includes(op)) throw invalid(`Invalid filter clause '${text}': ${attribute} compares with a number`);
    return sql`${column} ${sql.raw(op)} ${n}`;
  }
  if (!quoted) throw invalid(`Invalid filter clause '${text}': name compares with a quoted string`);
  if ([">", ">=", "<", "<="].includes(op)) throw invalid(`Invalid filter clause '${text}': name takes =, !=, LIKE or ILIKE`);
  return sql`${column} ${sql.raw(op)} ${quoted[2] ?? ""}`;
}

function orderSql(entries: string[]): SQL[] {
  return entries.map((entry) => {
    const m = /^\s*(?:attributes?\.|attr\.)?(name|creation_time|last_update_time|experiment_id)\s*(ASC|DESC)?\s*$/i.exec(entry);
    if (!m) throw invalid(`Invalid order_by '${entry}': use name, creation_time, last_update_time or experiment_id, then ASC or DESC`, "order_by");
    const column = m[1]?.toLowerCase() === "experiment_id" ? experiments.id : attributeColumns[m[1]?.toLowerCase() as Attribute];
    return m[2]?.toUpperCase() === "ASC" ? sql`${column} asc` : sql`${column} desc`;
  });
}

/** MLflow's experiments/search: a filter on name, tags and times; order_by; opaque page tokens. */
export async function searchExperiments(ctx: OrgContext, input: SearchExperimentsInput): Promise<{ experiments: Experiment[]; nextPageToken: string | null }> {
  const maxResults = input.maxResults ?? 1000;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50_000) throw invalid("max_results must be between 1 and 50000", "max_results");
  const offset = decodeOffsetToken(input.pageToken);
  const clauses = input.filter?.trim() ? splitClauses(input.filter).map(clauseSql) : [];
  const rows = await ctx.db
    .select()
    .from(experiments)
    .where(and(eq(experiments.orgId, ctx.orgId), inArray(experiments.lifecycleStage, viewTypeStages(input.viewType ?? "ACTIVE_ONLY")), ...clauses))
    .orderBy(...orderSql(input.orderBy ?? []), sql`${experiments.creationTime} desc`, sql`${experiments.id} desc`)
    .limit(maxResults + 1)
    .offset(offset);
  const page = rows.slice(0, maxResults);
  return { experiments: await hydrateExperiments(ctx.db, page), nextPageToken: rows.length > maxResults ? encodeOffsetToken(offset + maxResults) : null };
}
