import type { Readable } from "node:stream";

import { CsvError, Parser } from "csv-parse";
import type { Options } from "csv-parse";

import { GantryError } from "@gantry/schema";

/**
 * How every dataset file is read: comma-separated, RFC 4180 quoting, an optional UTF-8 BOM,
 * blank lines skipped (as pandas does), quotes inside unquoted fields kept literally. Rows of
 * another length than the header are let through so the profiler can name the row.
 */
const CSV_OPTIONS: Options = {
  bom: true,
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  // One unterminated quote must not swallow the file into memory.
  max_record_size: 8 * 1024 * 1024,
};

export const createCsvParser = () => new Parser(CSV_OPTIONS);

/** csv-parse's errors in our words (with its own line number), anything else unchanged. */
export function csvError(error: unknown): unknown {
  if (error instanceof CsvError) {
    const line = typeof error.lines === "number" && !/\bline\b/.test(error.message) ? ` (line ${error.lines})` : "";
    const detail = error.code === "CSV_MAX_RECORD_SIZE" ? "a field or row is longer than 8 MiB (an unclosed quote?)" : error.message;
    return new GantryError("INVALID_INPUT", `The file is not valid CSV${line}: ${detail}`, { field: "file", cause: error });
  }
  return error;
}

/**
 * A parser fed chunk by chunk from a stream that is consumed elsewhere (the upload goes to the
 * store at the same time). After each chunk the records it completed are handed to `onRecord`
 * synchronously, so nothing piles up; `end()` flushes the last record.
 */
export class CsvFeed {
  private readonly parser = createCsvParser();

  constructor(private readonly onRecord: (fields: string[]) => void) {
    // Errors are read from `errored` after each write; the listener keeps them from being unhandled.
    this.parser.on("error", () => undefined);
  }

  write(chunk: Buffer): void {
    this.parser.write(chunk);
    this.drain();
  }

  private drain(): void {
    for (;;) {
      if (this.parser.errored) throw csvError(this.parser.errored);
      const record = this.parser.read() as string[] | null;
      if (record === null) return;
      this.onRecord(record);
    }
  }

  async end(): Promise<void> {
    this.drain();
    this.parser.end();
    try {
      for await (const record of this.parser) this.onRecord(record as string[]);
    } catch (error) {
      throw csvError(error);
    }
  }

  /** Stops parsing (the upload failed elsewhere). */
  destroy(): void {
    this.parser.destroy();
  }
}

/** The records of a stored file, streamed; breaking out of the loop closes the file. */
export async function* csvRecords(source: Readable): AsyncGenerator<string[], void, undefined> {
  const parser = createCsvParser();
  source.on("error", (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    for await (const record of parser) yield record as string[];
  } catch (error) {
    throw csvError(error);
  } finally {
    source.unpipe(parser);
    source.destroy();
    parser.destroy();
  }
}
