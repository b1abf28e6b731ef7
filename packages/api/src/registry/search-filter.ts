import type { SQL } from "@gantry/db";
import { asc, desc, sql } from "@gantry/db";
import { GantryError } from "@gantry/schema";

/* MLflow's registry search grammar: much smaller than the runs' (specs/mlflow-api.md §3). */

export type RegistryClause = { key: string; tag: boolean; op: "=" | "!=" | "LIKE" | "ILIKE" | "IN" | "NOT IN"; values: string[] };

const fail = (field: "filter" | "order_by", detail: string) => new GantryError("INVALID_INPUT", `Invalid ${field}: ${detail}`, { field });

/**
 * Clauses joined by AND: `<attribute> <op> <value>` or `tags.<key> <op> <value>` (the key bare,
 * "quoted" or `backticked`); values 'quoted' or "quoted"; IN and NOT IN take ('a', 'b', …).
 */
export function parseRegistryFilter(filter: string | undefined, attributes: readonly string[]): RegistryClause[] {
  if (!filter?.trim()) return [];
  const text = filter;
  if (text.includes("\0")) throw fail("filter", "invalid character U+0000");
  let pos = 0;
  const space = () => {
    while (pos < text.length && /\s/.test(text.charAt(pos))) pos++;
  };
  const match = (re: RegExp): string | null => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return null;
    pos += m[0].length;
    return m[0];
  };
  const quoted = (quotes: string): string | null => {
    const q = text.charAt(pos);
    if (!q || !quotes.includes(q)) return null;
    const end = text.indexOf(q, pos + 1);
    if (end < 0) throw fail("filter", `unterminated string at position ${pos + 1}`);
    const value = text.slice(pos + 1, end);
    pos = end + 1;
    return value;
  };
  const expected = (what: string) => fail("filter", `expected ${what} at position ${pos + 1}`);
  const clauses: RegistryClause[] = [];
  for (;;) {
    space();
    const ident = match(/[A-Za-z_]\w*/y);
    if (!ident) throw expected("an identifier");
    let clause: Pick<RegistryClause, "key" | "tag">;
    if (/^tags?$/i.test(ident) && text.charAt(pos) === ".") {
      pos++;
      const key = quoted("\"`") ?? match(/[\w.\-/]+/y);
      if (!key) throw expected("a tag key");
      clause = { key, tag: true };
    } else {
      if (!attributes.includes(ident)) throw fail("filter", `'${ident}' cannot be searched (use ${attributes.join(", ")} or tags.<key>)`);
      clause = { key: ident, tag: false };
    }
    space();
    const rawOp = match(/!=|=|NOT\s+IN\b|ILIKE\b|LIKE\b|IN\b/iy);
    if (!rawOp) throw expected("=, !=, LIKE, ILIKE, IN or NOT IN");
    const op = rawOp.toUpperCase().replace(/\s+/g, " ") as RegistryClause["op"];
    space();
    const values: string[] = [];
    if (op === "IN" || op === "NOT IN") {
      if (!match(/\(/y)) throw expected("'('");
      do {
        space();
        const v = quoted("'\"");
        if (v === null) throw expected("a quoted value");
        values.push(v);
        space();
      } while (match(/,/y));
      if (!match(/\)/y)) throw expected("')'");
    } else {
      const v = quoted("'\"");
      if (v === null) throw expected("a quoted value");
      values.push(v);
    }
    clauses.push({ ...clause, op, values });
    space();
    if (pos >= text.length) return clauses;
    if (!match(/AND\b/iy)) throw expected("AND or the end of the filter");
  }
}

/** One clause as SQL over `column` (an attribute's, or the tag's value). A missing tag never matches. */
export function clauseSql(column: SQL, clause: RegistryClause): SQL {
  const list = () =>
    sql.join(
      clause.values.map((v) => sql`${v}`),
      sql`, `,
    );
  const [value = ""] = clause.values;
  switch (clause.op) {
    case "=":
      return sql`${column} = ${value}`;
    case "!=":
      return sql`${column} <> ${value}`;
    case "LIKE":
      return sql`${column} like ${value}`;
    case "ILIKE":
      return sql`${column} ilike ${value}`;
    case "IN":
      return sql`${column} in (${list()})`;
    case "NOT IN":
      return sql`${column} not in (${list()})`;
  }
}

/** `<column> [ASC|DESC]` entries over the columns a search may order by. */
export function parseRegistryOrderBy(entries: string[], columns: Record<string, SQL>): SQL[] {
  return entries.map((entry) => {
    const m = /^\s*([A-Za-z_]\w*)(?:\s+(ASC|DESC))?\s*$/i.exec(entry);
    const column = m?.[1] ? columns[m[1]] : undefined;
    if (!m || !column) throw fail("order_by", `'${entry}' (order by one of ${Object.keys(columns).join(", ")}, then ASC or DESC)`);
    return m[2]?.toUpperCase() === "DESC" ? desc(column) : asc(column);
  });
}
