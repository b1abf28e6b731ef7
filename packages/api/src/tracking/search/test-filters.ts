import fc from "fast-check";

import { runStatuses } from "@gantry/schema";

import type { Clause } from "./grammar";
import { datasetFields, numericOperators, stringOperators } from "./grammar";
import { textArbitrary, vocabulary } from "./test-runs";

/*
 * Filters generated from the grammar, each with the clause it means, rendered with the grammar's
 * freedoms (prefix spellings, quoting, keyword case, spacing); plus garbage and near misses.
 */

type Generated = { text: string; clause: Clause };

const space = fc.constantFrom(" ", "  ", "\t", "\n ");
const maybeSpace = fc.constantFrom("", " ");
const anyCase = (word: string) => fc.constantFrom(word.toLowerCase(), word.toUpperCase(), word.charAt(0).toUpperCase() + word.slice(1).toLowerCase());

const quote = (s: string, q: string) => `${q}${s.replaceAll(q, q + q)}${q}`;
const renderKey = (key: string) => (/^[\w.]+$/.test(key) ? fc.constantFrom(key, quote(key, '"'), quote(key, "`")) : fc.constantFrom(quote(key, '"'), quote(key, "`")));
const renderString = (s: string) => fc.constantFrom(quote(s, "'"), quote(s, '"'));
const renderNumber = (n: number) => fc.constantFrom(String(n), n.toExponential());
const renderList = (values: string[]) => fc.tuple(...values.map(renderString)).map((items) => `(${items.join(", ")})`);

const filterNumber = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, 2.5, 1e300, -1e-3)).filter((n) => !Object.is(n, -0));

function renderOperator(op: string) {
  if (op === "NOT IN") return fc.tuple(space, anyCase("not"), space, anyCase("in"), space).map((parts) => parts.join(""));
  if (/^[A-Z]/.test(op)) return fc.tuple(space, anyCase(op), space).map((parts) => parts.join(""));
  return fc.tuple(maybeSpace, fc.constant(op), maybeSpace).map((parts) => parts.join(""));
}

function generated(clause: Clause, prefix: fc.Arbitrary<string>, key: fc.Arbitrary<string>, value: fc.Arbitrary<string>): fc.Arbitrary<Generated> {
  return fc.tuple(prefix, key, renderOperator(clause.op), value).map(([p, k, o, v]) => ({ text: `${p}${k}${o}${v}`, clause }));
}

const metricClause = fc
  .record({ key: fc.constantFrom(...vocabulary.metricKeys, vocabulary.missingKey), op: fc.constantFrom(...numericOperators), value: filterNumber })
  .chain((c) => generated({ kind: "metric", ...c }, fc.constantFrom("metrics.", "metric."), renderKey(c.key), renderNumber(c.value)));

const keyValueClause = fc
  .record({ kind: fc.constantFrom("param" as const, "tag" as const), op: fc.constantFrom(...stringOperators), value: textArbitrary })
  .chain((c) =>
    fc
      .constantFrom(...(c.kind === "param" ? vocabulary.paramKeys : vocabulary.tagKeys), vocabulary.missingKey)
      .chain((key) =>
        generated(
          { ...c, key },
          c.kind === "param" ? fc.constantFrom("params.", "param.", "parameter.", "parameters.") : fc.constantFrom("tags.", "tag."),
          renderKey(key),
          renderString(c.value),
        ),
      ),
  );

const attributePrefix = fc.constantFrom("", "attributes.", "attribute.", "attr.", "run.");

function attributeClause(runIds: readonly string[]) {
  const id = fc.constantFrom(...runIds);
  const valueOf = {
    run_id: fc.oneof(id, id.map((v) => `${v.slice(0, 7)}%`), id.map((v) => v.toUpperCase()), textArbitrary),
    run_name: textArbitrary,
    status: fc.oneof(fc.constantFrom(...runStatuses), fc.constantFrom("finished", "%ED", "_UNNING")),
    user_id: textArbitrary,
    artifact_uri: fc.oneof(id.map((v) => `%${v}%`), fc.constantFrom("mlflow-artifacts:/%", "%/artifacts", "%")),
  };
  const single = fc
    .record({ key: fc.constantFrom("run_id" as const, "run_name" as const, "status" as const, "user_id" as const, "artifact_uri" as const), op: fc.constantFrom(...stringOperators) })
    .chain((c) => valueOf[c.key].chain((value) => generated({ kind: "attribute", ...c, value }, attributePrefix, fc.constant(c.key), renderString(value))));
  const list = fc
    .record({ op: fc.constantFrom("IN" as const, "NOT IN" as const), values: fc.array(valueOf.run_id, { minLength: 1, maxLength: 4 }) })
    .chain((c) => generated({ kind: "attribute-list", key: "run_id", ...c }, attributePrefix, fc.constant("run_id"), renderList(c.values)));
  return fc.oneof(single, list);
}

const timeClause = fc
  .record({
    name: fc.constantFrom("start_time", "end_time", "created"),
    op: fc.constantFrom(...numericOperators),
    value: fc.oneof(fc.integer({ min: 995, max: 1025 }), fc.integer({ min: 995, max: 1025 }).map((n) => n + 0.5), fc.constant(1e300)),
  })
  .chain((c) => {
    const key = c.name === "end_time" ? ("end_time" as const) : ("start_time" as const);
    return generated({ kind: "time", key, op: c.op, value: c.value }, attributePrefix, fc.constant(c.name), renderNumber(c.value));
  });

const datasetValue = fc.constantFrom(...vocabulary.datasetNames, ...vocabulary.digests, ...vocabulary.contexts, "%ai%", "d_", "%");
const datasetClause = fc.oneof(
  fc
    .record({ key: fc.constantFrom(...datasetFields), op: fc.constantFrom(...stringOperators), value: datasetValue })
    .chain((c) => generated({ kind: "dataset", ...c }, fc.constantFrom("datasets.", "dataset."), fc.constant(c.key), renderString(c.value))),
  fc
    .record({ key: fc.constantFrom(...datasetFields), op: fc.constantFrom("IN" as const, "NOT IN" as const), values: fc.array(datasetValue, { minLength: 1, maxLength: 3 }) })
    .chain((c) => generated({ kind: "dataset-list", ...c }, fc.constantFrom("datasets.", "dataset."), fc.constant(c.key), renderList(c.values))),
);

/** A filter from the grammar and the clauses it means. */
export function validFilter(runIds: readonly string[]): fc.Arbitrary<{ text: string; clauses: Clause[] }> {
  const clause = fc.oneof(metricClause, keyValueClause, attributeClause(runIds), timeClause, datasetClause);
  return fc.tuple(fc.array(fc.tuple(clause, space, anyCase("and"), space), { maxLength: 3 }), maybeSpace, maybeSpace).map(([parts, lead, trail]) => ({
    text: lead + parts.map(([c, s1, and, s2], i) => (i === 0 ? c.text : `${s1}${and}${s2}${c.text}`)).join("") + trail,
    clauses: parts.map(([c]) => c.clause),
  }));
}

const noise = fc.constantFrom("'", '"', "`", "(", ")", ",", "=", "!", "<", ">", ".", " ", "%", "\\", "OR", "AND", "IN", "-", "1", "e", "a");

/** Filters that are mostly not from the grammar: random text, and valid filters with a character changed. */
export function garbageFilter(runIds: readonly string[]): fc.Arbitrary<string> {
  const mutated = validFilter(runIds).chain(({ text }) =>
    fc.tuple(fc.nat({ max: Math.max(text.length - 1, 0) }), fc.nat({ max: 2 }), noise).map(([at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut)),
  );
  return fc.oneof(fc.string({ maxLength: 30 }), fc.array(noise, { maxLength: 12 }).map((parts) => parts.join(" ")), mutated);
}

const orderIdentifiers = [
  "metrics.m1",
  "metric.m2",
  "metrics.`m.3`",
  `metrics.${vocabulary.missingKey}`,
  "params.a",
  'params."x y"',
  "tags.t1",
  "tags.`mlflow.user`",
  "start_time",
  "attributes.end_time",
  "run_name",
  "run_id",
  "status",
  "attr.user_id",
  "created",
];

/** Zero to two order_by entries. */
export const orderByArbitrary = fc.array(
  fc.tuple(fc.constantFrom(...orderIdentifiers), fc.constantFrom("", " ASC", " desc", " DESC")).map(([id, direction]) => id + direction),
  { maxLength: 2 },
);
