import type { Clause, ListOperator, NumericOperator, Operator, OrderBy, StringOperator } from "./grammar";
import {
  attributeAliases,
  datasetFields,
  isOneOf,
  listOperators,
  numericOperators,
  orderAttributes,
  prefixes,
  stringAttributes,
  stringOperators,
  timeAttributes,
} from "./grammar";
import { quoteToken, SearchScanner } from "./scanner";

type Target = "metric" | "param" | "tag" | "attribute" | "dataset";
type Identifier = { target: Target; key: string; at: number; keyAt: number; display: string };
type Value = { at: number } & ({ type: "string"; value: string } | { type: "number"; value: number } | { type: "list"; values: string[] });

const displayPrefix: Record<Target, string> = { metric: "metrics.", param: "params.", tag: "tags.", attribute: "", dataset: "datasets." };

/**
 * Parses an MLflow run filter (`metrics.loss < 0.5 and params.optimizer = 'adam'`) into clauses.
 * An empty or blank filter selects everything. Errors are INVALID_INPUT on the `filter` field.
 */
export function parseRunFilter(filter: string): Clause[] {
  const s: SearchScanner = new SearchScanner(filter, { field: "filter", label: "Invalid filter", end: "end of filter" });
  const clauses: Clause[] = [];
  s.skipSpace();
  if (s.atEnd()) return clauses;
  for (;;) {
    clauses.push(readClause(s));
    s.skipSpace();
    if (s.atEnd()) return clauses;
    const at = s.pos;
    const joiner = s.readWord()?.toUpperCase();
    if (joiner === "OR") s.fail(`unexpected token ${quoteToken(s.tokenAt(at) ?? "")} (only AND joins clauses)`, at);
    if (joiner !== "AND") s.unexpected("expected AND between clauses", at);
    if (!s.skipSpace() && !s.atEnd() && !/['"`]/.test(s.peek() ?? "")) s.unexpected("expected a space after AND");
  }
}

/** Parses order_by entries `"<identifier> [ASC|DESC]"`; errors are INVALID_INPUT on `order_by`. */
export function parseOrderBy(entries: readonly string[]): OrderBy[] {
  return entries.map((entry, index) => {
    const s: SearchScanner = new SearchScanner(entry, { field: "order_by", label: `Invalid order_by entry ${index + 1}`, end: "end of order_by entry" });
    s.skipSpace();
    const id = readIdentifier(s);
    const spaced = s.skipSpace();
    let ascending = true;
    if (!s.atEnd()) {
      const at = s.pos;
      const direction = spaced ? s.readWord()?.toUpperCase() : undefined;
      if (direction !== "ASC" && direction !== "DESC") s.unexpected("expected ASC or DESC", at);
      ascending = direction === "ASC";
      s.skipSpace();
      if (!s.atEnd()) s.unexpected("expected nothing after ASC or DESC");
    }
    if (id.target === "dataset") s.fail(`cannot order by ${id.display}: datasets are not sortable`, id.at);
    if (id.target !== "attribute") return { kind: id.target, key: id.key, ascending };
    const key = attributeAliases[id.key] ?? id.key;
    if (!isOneOf(orderAttributes, key)) s.fail(`invalid attribute ${quoteToken(id.key)} for order_by (valid: ${orderAttributes.join(", ")})`, id.keyAt);
    return { kind: "attribute", key, ascending };
  });
}

function readIdentifier(s: SearchScanner): Identifier {
  const at = s.pos;
  const first = s.readQuoted('"`') ?? s.readWord();
  if (first === null) s.unexpected("expected an identifier such as metrics.loss or params.lr");
  if (s.peek() !== ".") return resolve(s, { prefix: null, key: first, at, keyAt: at });
  s.pos++;
  const keyAt = s.pos;
  const key = s.readQuoted('"`') ?? s.readUnquotedKey();
  if (key === null) s.unexpected("expected a key after '.'");
  return resolve(s, { prefix: first, key, at, keyAt });
}

function resolve(s: SearchScanner, raw: { prefix: string | null; key: string; at: number; keyAt: number }): Identifier {
  const target = raw.prefix === null ? "attribute" : Object.hasOwn(prefixes, raw.prefix) ? prefixes[raw.prefix] : undefined;
  if (target === undefined) s.fail(`unknown identifier type ${quoteToken(raw.prefix ?? "")} (expected metrics, params, tags, attributes or datasets)`, raw.at);
  if (raw.key === "") s.fail("empty key", raw.keyAt);
  return { target, key: raw.key, at: raw.at, keyAt: raw.keyAt, display: `${displayPrefix[target]}${raw.key}` };
}

function readOperator(s: SearchScanner): Operator {
  const at = s.pos;
  const symbol = s.readSymbol();
  if (symbol !== null) {
    if (!isOneOf(numericOperators, symbol)) s.fail(`unknown operator ${quoteToken(symbol)}`, at);
    return symbol;
  }
  const word = s.readWord()?.toUpperCase();
  if (word === "LIKE" || word === "ILIKE" || word === "IN") return word;
  if (word === "NOT") {
    s.skipSpace();
    const inAt = s.pos;
    if (s.readWord()?.toUpperCase() !== "IN") s.unexpected("expected IN after NOT", inAt);
    return "NOT IN";
  }
  s.unexpected("expected a comparison operator", at);
}

function readValue(s: SearchScanner): Value {
  const at = s.pos;
  const quoted = s.readQuoted(`'"`);
  if (quoted !== null) return { at, type: "string", value: quoted };
  const number = s.readNumber();
  if (number !== null) return { at, type: "number", value: number };
  if (s.peek() !== "(") s.unexpected("expected a quoted string or a number");
  s.pos++;
  const values: string[] = [];
  for (;;) {
    s.skipSpace();
    const item = s.readQuoted(`'"`);
    if (item === null) s.unexpected("expected a quoted string in the list");
    values.push(item);
    s.skipSpace();
    if (s.peek() === ")") {
      s.pos++;
      return { at, type: "list", values };
    }
    if (s.peek() !== ",") s.unexpected("expected ',' or ')'");
    s.pos++;
  }
}

function readClause(s: SearchScanner): Clause {
  const id = readIdentifier(s);
  s.skipSpace();
  const opAt = s.pos;
  const op = readOperator(s);
  s.skipSpace();
  const value = readValue(s);
  const refuseOperator = (allowed: string): never =>
    s.fail(`operator ${quoteToken(op)} is not allowed for ${id.display} (allowed: ${allowed})`, opAt);
  const mismatch = (expected: Value["type"]): never => {
    const wanted = { string: "a quoted string", number: "a number", list: "a parenthesised list of quoted strings" }[expected];
    s.fail(`expected ${wanted} for ${id.display}, got ${quoteToken(s.tokenAt(value.at) ?? "")}`, value.at);
  };
  const numberValue = (): number => (value.type === "number" ? value.value : mismatch("number"));
  const listValues = (): string[] => (value.type === "list" ? value.values : mismatch("list"));
  const stringValue = (): string => {
    if (value.type !== "string") return mismatch("string");
    if ((op === "LIKE" || op === "ILIKE") && endsWithEscape(value.value)) s.fail(`LIKE pattern ${quoteToken(value.value)} ends with an escape character`, value.at);
    return value.value;
  };

  switch (id.target) {
    case "metric":
      if (!isOneOf(numericOperators, op)) refuseOperator(numericOperators.join(", "));
      return { kind: "metric", key: id.key, op: op as NumericOperator, value: numberValue() };
    case "param":
    case "tag":
      if (!isOneOf(stringOperators, op)) refuseOperator(stringOperators.join(", "));
      return { kind: id.target, key: id.key, op: op as StringOperator, value: stringValue() };
    case "dataset": {
      if (!isOneOf(datasetFields, id.key)) s.fail(`invalid dataset attribute ${quoteToken(id.key)} (valid: ${datasetFields.join(", ")})`, id.keyAt);
      if (isOneOf(listOperators, op)) return { kind: "dataset-list", key: id.key, op, values: listValues() };
      if (!isOneOf(stringOperators, op)) refuseOperator([...stringOperators, ...listOperators].join(", "));
      return { kind: "dataset", key: id.key, op: op as StringOperator, value: stringValue() };
    }
    case "attribute": {
      const key = attributeAliases[id.key] ?? id.key;
      if (isOneOf(timeAttributes, key)) {
        if (!isOneOf(numericOperators, op)) refuseOperator(numericOperators.join(", "));
        return { kind: "time", key, op: op as NumericOperator, value: numberValue() };
      }
      if (!isOneOf(stringAttributes, key)) {
        const valid = [...stringAttributes, ...timeAttributes, ...Object.keys(attributeAliases)].join(", ");
        s.fail(`invalid attribute ${quoteToken(id.key)} (valid: ${valid})`, id.keyAt);
      }
      if (isOneOf(listOperators, op)) {
        if (key !== "run_id") refuseOperator(`${stringOperators.join(", ")}; IN lists only for run_id`);
        return { kind: "attribute-list", key: "run_id", op: op as ListOperator, values: listValues() };
      }
      if (!isOneOf(stringOperators, op)) refuseOperator(stringOperators.join(", "));
      return { kind: "attribute", key, op: op as StringOperator, value: stringValue() };
    }
  }
}

/** PostgreSQL refuses a LIKE pattern whose last character is an unescaped backslash. */
function endsWithEscape(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === "\\") {
      if (i === pattern.length - 1) return true;
      i++;
    }
  }
  return false;
}
