import { describe, expect, it } from "vitest";

import { GantryError } from "@gantry/schema";

import { parseOrderBy, parseRunFilter } from "./parse";

function errorOf(parse: () => unknown): GantryError {
  try {
    parse();
  } catch (error) {
    if (error instanceof GantryError) return error;
    throw error;
  }
  throw new Error("expected the parser to refuse");
}

describe("parseRunFilter", () => {
  it("reads an empty or blank filter as no clauses", () => {
    expect(parseRunFilter("")).toEqual([]);
    expect(parseRunFilter("  \n\t ")).toEqual([]);
  });

  it.each(["=", "!=", ">", ">=", "<", "<="] as const)("compares metrics with %s", (op) => {
    expect(parseRunFilter(`metrics.loss ${op} 0.5`)).toEqual([{ kind: "metric", key: "loss", op, value: 0.5 }]);
  });

  it.each([
    ["1", 1],
    ["-3", -3],
    ["+2", 2],
    ["0.25", 0.25],
    [".5", 0.5],
    ["1.", 1],
    ["1e3", 1000],
    ["-2.5E-2", -0.025],
  ])("reads the number %s", (text, value) => {
    expect(parseRunFilter(`metric.acc=${text}`)).toEqual([{ kind: "metric", key: "acc", op: "=", value }]);
  });

  it.each(["param", "params", "parameter", "parameters"])("reads %s.key as a param", (prefix) => {
    expect(parseRunFilter(`${prefix}.lr = '0.1'`)).toEqual([{ kind: "param", key: "lr", op: "=", value: "0.1" }]);
  });

  it.each(["=", "!=", "LIKE", "ILIKE"] as const)("compares params and tags with %s", (op) => {
    expect(parseRunFilter(`params.opt ${op} 'ad%' and tags.team ${op.toLowerCase()} "ml"`)).toEqual([
      { kind: "param", key: "opt", op, value: "ad%" },
      { kind: "tag", key: "team", op, value: "ml" },
    ]);
  });

  it.each(["attributes.", "attribute.", "attr.", "run.", ""])("reads %sstatus as an attribute", (prefix) => {
    expect(parseRunFilter(`${prefix}status = 'FINISHED'`)).toEqual([{ kind: "attribute", key: "status", op: "=", value: "FINISHED" }]);
  });

  it.each(["run_id", "run_name", "status", "user_id", "artifact_uri"] as const)("compares the string attribute %s", (key) => {
    expect(parseRunFilter(`${key} ILIKE '%a%' AND ${key} != 'b'`)).toEqual([
      { kind: "attribute", key, op: "ILIKE", value: "%a%" },
      { kind: "attribute", key, op: "!=", value: "b" },
    ]);
  });

  it("reads start_time, end_time and created (= start_time) as numbers", () => {
    expect(parseRunFilter("attributes.start_time >= 10 and end_time < 2e3 and created > 5")).toEqual([
      { kind: "time", key: "start_time", op: ">=", value: 10 },
      { kind: "time", key: "end_time", op: "<", value: 2000 },
      { kind: "time", key: "start_time", op: ">", value: 5 },
    ]);
  });

  it("reads IN and NOT IN lists for run_id", () => {
    expect(parseRunFilter("run_id IN ('a', \"b\") and attributes.run_id not  in ('c')")).toEqual([
      { kind: "attribute-list", key: "run_id", op: "IN", values: ["a", "b"] },
      { kind: "attribute-list", key: "run_id", op: "NOT IN", values: ["c"] },
    ]);
  });

  it("reads dataset fields with string operators and lists", () => {
    expect(parseRunFilter("datasets.name LIKE 'train%' AND dataset.digest IN ('d1','d2') AND datasets.context = 'eval'")).toEqual([
      { kind: "dataset", key: "name", op: "LIKE", value: "train%" },
      { kind: "dataset-list", key: "digest", op: "IN", values: ["d1", "d2"] },
      { kind: "dataset", key: "context", op: "=", value: "eval" },
    ]);
  });

  it("takes quoted keys with spaces, dots and doubled quotes, and unquoted dotted keys", () => {
    expect(parseRunFilter('metrics."val loss" < 1 and tags.`mlflow.user` = \'me\' and params."a""b" = \'x\' and metrics.a.b-c/d = 2')).toEqual([
      { kind: "metric", key: "val loss", op: "<", value: 1 },
      { kind: "tag", key: "mlflow.user", op: "=", value: "me" },
      { kind: "param", key: 'a"b', op: "=", value: "x" },
      { kind: "metric", key: "a.b-c/d", op: "=", value: 2 },
    ]);
  });

  it("unescapes doubled quotes in values", () => {
    expect(parseRunFilter(`tags.note = 'it''s' AND tags.q = "say ""hi"""`)).toEqual([
      { kind: "tag", key: "note", op: "=", value: "it's" },
      { kind: "tag", key: "q", op: "=", value: 'say "hi"' },
    ]);
  });

  it("joins with AND in any case and keeps keywords case-insensitive", () => {
    expect(parseRunFilter("params.a like 'x' AnD params.b iLiKe 'y' and run_id Not In ('z')")).toHaveLength(3);
  });

  it.each([
    ["metrics.a > 1 OR metrics.b < 2", 15, "unexpected token 'OR' (only AND joins clauses)"],
    ["metrics.a > 1 metrics.b < 2", 15, "unexpected token 'metrics' (expected AND between clauses)"],
    ["metrics.a > 1 AND", 18, "unexpected end of filter (expected an identifier"],
    ["(metrics.a > 1)", 1, "unexpected token '(' (expected an identifier"],
    ["foo.bar = 'x'", 1, "unknown identifier type 'foo'"],
    ["attributes.color = 'red'", 12, "invalid attribute 'color'"],
    ["datasets.size = 'x'", 10, "invalid dataset attribute 'size'"],
    ["metrics.a LIKE 'x'", 11, "operator 'LIKE' is not allowed for metrics.a (allowed: =, !=, >, >=, <, <=)"],
    ["params.a > 'x'", 10, "operator '>' is not allowed for params.a (allowed: =, !=, LIKE, ILIKE)"],
    ["run_name IN ('a')", 10, "operator 'IN' is not allowed for run_name"],
    ["tags.t IN ('a')", 8, "operator 'IN' is not allowed for tags.t"],
    ["start_time LIKE '1'", 12, "operator 'LIKE' is not allowed for start_time"],
    ["datasets.name > 'a'", 15, "operator '>' is not allowed for datasets.name"],
    ["metrics.a <> 1", 11, "unknown operator '<>'"],
    ["metrics.a == 1", 11, "unknown operator '=='"],
    ["metrics.a BETWEEN 1", 11, "unexpected token 'BETWEEN' (expected a comparison operator)"],
    ["run_id NOT LIKE 'a'", 12, "unexpected token 'LIKE' (expected IN after NOT)"],
    ["metrics.a", 10, "unexpected end of filter (expected a comparison operator)"],
    ["metrics.a = 'x'", 13, "expected a number for metrics.a, got ''x''"],
    ["params.a = 1", 12, "expected a quoted string for params.a, got '1'"],
    ["end_time > 'x'", 12, "expected a number for end_time"],
    ["run_id IN 'a'", 11, "expected a parenthesised list of quoted strings for run_id"],
    ["run_id = ('a')", 10, "expected a quoted string for run_id, got '('"],
    ["run_id IN ()", 12, "unexpected token ')' (expected a quoted string in the list)"],
    ["run_id IN ('a',)", 16, "unexpected token ')' (expected a quoted string in the list)"],
    ["run_id IN ('a' 'b')", 16, "unexpected token ''b'' (expected ',' or ')')"],
    ["params.a = abc", 12, "unexpected token 'abc' (expected a quoted string or a number)"],
    ["params.a = 'abc", 12, "unterminated string ''abc'"],
    ["metrics.`a b = 1", 9, "unterminated string '`a b = 1'"],
    ["metrics.a = 1abc", 13, "invalid number '1abc'"],
    ["metrics.a = 1.2.3", 13, "invalid number '1.2.3'"],
    ["metrics.a = 1e999", 13, "number '1e999' is out of range"],
    ["params.a LIKE 'x\\'", 15, "LIKE pattern 'x\\' ends with an escape character"],
    ["metrics. = 1", 9, "unexpected whitespace (expected a key after '.')"],
    ['metrics."" = 1', 9, "empty key"],
    ["params.a = 'x' # comment", 16, "unexpected token '#' (expected AND between clauses)"],
    ["params.a = 'x\0'", 14, "invalid character U+0000"],
  ])("refuses %j at position %i", (filter, position, detail) => {
    const error = errorOf(() => parseRunFilter(filter));
    expect(error).toMatchObject({ code: "INVALID_INPUT", field: "filter" });
    expect(error.message).toContain(`Invalid filter at position ${position}: ${detail}`);
  });
});

describe("parseOrderBy", () => {
  it("reads identifiers with an optional direction, ascending by default", () => {
    expect(parseOrderBy(["metrics.loss", "params.`lr x` DESC", "tags.t asc", "start_time desc", "attributes.run_name", "created ASC", "run.user_id"])).toEqual([
      { kind: "metric", key: "loss", ascending: true },
      { kind: "param", key: "lr x", ascending: false },
      { kind: "tag", key: "t", ascending: true },
      { kind: "attribute", key: "start_time", ascending: false },
      { kind: "attribute", key: "run_name", ascending: true },
      { kind: "attribute", key: "start_time", ascending: true },
      { kind: "attribute", key: "user_id", ascending: true },
    ]);
    expect(parseOrderBy([])).toEqual([]);
  });

  it.each([
    [["metrics.a", "metrics.b sideways"], "Invalid order_by entry 2 at position 11: unexpected token 'sideways' (expected ASC or DESC)"],
    [["metrics.a DESC x"], "Invalid order_by entry 1 at position 16: unexpected token 'x' (expected nothing after ASC or DESC)"],
    [["artifact_uri"], "Invalid order_by entry 1 at position 1: invalid attribute 'artifact_uri' for order_by"],
    [["datasets.name"], "Invalid order_by entry 1 at position 1: cannot order by datasets.name"],
    [[""], "Invalid order_by entry 1 at position 1: unexpected end of order_by entry (expected an identifier"],
    [["nope.x"], "Invalid order_by entry 1 at position 1: unknown identifier type 'nope'"],
  ])("refuses %j", (entries, message) => {
    const error = errorOf(() => parseOrderBy(entries));
    expect(error).toMatchObject({ code: "INVALID_INPUT", field: "order_by" });
    expect(error.message).toContain(message);
  });
});
