import type { ColumnTypeOverrides, DatasetColumn, DatasetProfile } from "@gantry/schema";
import { datasetLimits, GantryError } from "@gantry/schema";

import { ColumnState } from "./column-state";

const invalid = (message: string, field = "file") => new GantryError("INVALID_INPUT", message, { field });

/**
 * Infers the schema of a CSV and profiles it while its records stream by: the header first,
 * then every row, in memory bounded by the number of columns (not rows). Throws INVALID_INPUT,
 * naming the row or column, at the first problem.
 */
export class CsvProfiler {
  private columns: ColumnState[] | null = null;
  rowCount = 0;

  constructor(private readonly overrides: ColumnTypeOverrides = {}) {}

  onRecord(fields: string[]): void {
    if (this.columns === null) {
      this.columns = this.readHeader(fields);
      return;
    }
    this.rowCount += 1;
    if (fields.length !== this.columns.length) {
      throw invalid(`Row ${this.rowCount} has ${fields.length} field${fields.length === 1 ? "" : "s"}; the header has ${this.columns.length}`);
    }
    for (let i = 0; i < fields.length; i++) this.columns[i]?.add(fields[i] ?? "", this.rowCount);
  }

  private readHeader(fields: string[]): ColumnState[] {
    if (fields.length > datasetLimits.columns) throw invalid(`The file has ${fields.length} columns; at most ${datasetLimits.columns} are supported`);
    const seen = new Map<string, number>();
    fields.forEach((name, i) => {
      if (name.trim() === "") throw invalid(`Column ${i + 1} of the header has an empty name; every column needs one`);
      if (name === "__proto__") throw invalid(`Column ${i + 1} of the header is named '__proto__', which cannot be a column name`);
      const first = seen.get(name);
      if (first !== undefined) throw invalid(`Column name '${name}' appears twice in the header (columns ${first + 1} and ${i + 1}); names must be unique`);
      seen.set(name, i);
    });
    for (const name of Object.keys(this.overrides)) {
      if (!seen.has(name)) throw invalid(`columnTypes names '${name}', which is not a column of the file (columns: ${abbreviate(fields)})`, `columnTypes.${name}`);
    }
    // Own keys only: a column named `constructor` or `toString` must not read Object.prototype.
    return fields.map((name) => new ColumnState(name, Object.hasOwn(this.overrides, name) ? this.overrides[name] : undefined));
  }

  /** The schema and profile; throws when the file had no header or no rows. */
  finish(): { columns: DatasetColumn[]; profile: DatasetProfile } {
    if (this.columns === null) throw invalid("The file is empty: a dataset needs a header row and at least one data row");
    if (this.rowCount === 0) throw invalid("The file has a header but no data rows (0 rows): a dataset needs at least one row");
    const results = this.columns.map((c) => c.finish(this.rowCount));
    return { columns: results.map((r) => r.column), profile: { rowCount: this.rowCount, columns: results.map((r) => r.profile) } };
  }
}

function abbreviate(names: string[]): string {
  const shown = names.slice(0, 10).join(", ");
  return names.length > 10 ? `${shown}, … (${names.length} in all)` : shown;
}
