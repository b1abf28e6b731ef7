import type { SQL } from "drizzle-orm";
import { and, inArray, notInArray, sql } from "drizzle-orm";

import { latestMetrics, runInputs, runParams, runs, runTags } from "@gantry/schema";

import type { Clause, NumericOperator, StringOperator } from "./grammar";

/*
 * Clauses compile to parameterised conditions on `runs`: keys and values are always bound
 * parameters, operators come from closed tables. Key/value filters are EXISTS subqueries scoped
 * by org_id, so that PostgreSQL may answer them from the (org_id, key, value) indexes.
 */

const operatorSql: Record<NumericOperator | StringOperator, SQL> = {
  "=": sql`=`,
  "!=": sql`<>`,
  ">": sql`>`,
  ">=": sql`>=`,
  "<": sql`<`,
  "<=": sql`<=`,
  LIKE: sql`like`,
  ILIKE: sql`ilike`,
};

/** Lower-case canonical form: how PostgreSQL prints a uuid, hence the only form a run id takes. */
export const canonicalUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const artifactUriSql = sql`('mlflow-artifacts:/' || ${runs.experimentId}::text || '/' || ${runs.id}::text || '/artifacts')`;

const datasetContextSql = sql`(select t.tag->>'value' from jsonb_array_elements(${runInputs.tags}) as t(tag) where t.tag->>'key' = 'mlflow.data.context' limit 1)`;

/** The conjunction of the clauses, or undefined when there are none. */
export function compileFilter(clauses: readonly Clause[], orgId: string): SQL | undefined {
  return and(...clauses.map((clause) => compileClause(clause, orgId)));
}

function compileClause(clause: Clause, orgId: string): SQL {
  switch (clause.kind) {
    case "metric": {
      // PostgreSQL orders NaN above every number and equal to itself; the grammar says NaN matches nothing.
      const notNaN = clause.op === "=" || clause.op === "<" || clause.op === "<=" ? sql`` : sql` and ${latestMetrics.value} <> 'NaN'::float8`;
      return sql`exists (select 1 from ${latestMetrics} where ${latestMetrics.orgId} = ${orgId} and ${latestMetrics.key} = ${clause.key} and ${latestMetrics.runId} = ${runs.id} and ${latestMetrics.value} ${operatorSql[clause.op]} ${clause.value}::float8${notNaN})`;
    }
    case "param":
      return sql`exists (select 1 from ${runParams} where ${runParams.orgId} = ${orgId} and ${runParams.key} = ${clause.key} and ${runParams.runId} = ${runs.id} and ${runParams.value} ${operatorSql[clause.op]} ${clause.value})`;
    case "tag":
      return sql`exists (select 1 from ${runTags} where ${runTags.orgId} = ${orgId} and ${runTags.key} = ${clause.key} and ${runTags.runId} = ${runs.id} and ${runTags.value} ${operatorSql[clause.op]} ${clause.value})`;
    case "time":
      return compileTime(clause.key === "start_time" ? runs.startTime : runs.endTime, clause.op, clause.value);
    case "attribute":
      return clause.key === "run_id" ? compileRunId(clause.op, clause.value) : sql`${stringAttributeSql[clause.key]} ${operatorSql[clause.op]} ${clause.value}`;
    case "attribute-list": {
      const ids = clause.values.filter((value) => canonicalUuid.test(value));
      return clause.op === "IN" ? inArray(runs.id, ids) : notInArray(runs.id, ids);
    }
    case "dataset": {
      const field = datasetFieldSql[clause.key];
      return sql`exists (select 1 from ${runInputs} where ${runInputs.orgId} = ${orgId} and ${runInputs.runId} = ${runs.id} and ${field} ${operatorSql[clause.op]} ${clause.value})`;
    }
    case "dataset-list": {
      const field = datasetFieldSql[clause.key];
      const test = clause.op === "IN" ? sql`${field} in ${clause.values}` : sql`${field} not in ${clause.values}`;
      return sql`exists (select 1 from ${runInputs} where ${runInputs.orgId} = ${orgId} and ${runInputs.runId} = ${runs.id} and ${test})`;
    }
  }
}

const stringAttributeSql: Record<"run_name" | "status" | "user_id" | "artifact_uri", SQL> = {
  run_name: sql`${runs.name}`,
  status: sql`${runs.status}`,
  user_id: sql`${runs.userId}`,
  artifact_uri: artifactUriSql,
};

const datasetFieldSql: Record<"name" | "digest" | "context", SQL> = {
  name: sql`${runInputs.name}`,
  digest: sql`${runInputs.digest}`,
  context: datasetContextSql,
};

/** Run ids are uuids: equality goes through the primary key, patterns through the text form. */
function compileRunId(op: StringOperator, value: string): SQL {
  if (op === "LIKE" || op === "ILIKE") return sql`${runs.id}::text ${operatorSql[op]} ${value}`;
  if (!canonicalUuid.test(value)) return op === "=" ? sql`false` : sql`true`;
  return sql`${runs.id} ${operatorSql[op]} ${value}::uuid`;
}

/**
 * Times are integer milliseconds, so a fractional bound rounds to an equivalent integer one and
 * the comparison stays on the bigint column (and its index).
 */
function compileTime(column: typeof runs.startTime | typeof runs.endTime, op: NumericOperator, value: number): SQL {
  const bound = { ">": Math.floor(value), ">=": Math.ceil(value), "<": Math.ceil(value), "<=": Math.floor(value), "=": value, "!=": value }[op];
  if (!Number.isSafeInteger(bound)) {
    if (op === "=" && !Number.isInteger(value)) return sql`false`;
    if (op === "!=" && !Number.isInteger(value)) return sql`${column} is not null`;
    return sql`${column}::float8 ${operatorSql[op]} ${value}::float8`;
  }
  return sql`${column} ${operatorSql[op]} ${bound}::bigint`;
}
