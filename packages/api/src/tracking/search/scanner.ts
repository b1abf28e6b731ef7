import { GantryError } from "@gantry/schema";

const wordPattern = /[\p{L}\p{N}_]+/uy;
/** Unquoted keys may hold what MLflow key names hold (`^[/\w.\- ]*$`) except spaces. */
const unquotedKeyPattern = /[\p{L}\p{N}_.\-/]+/uy;
const symbolPattern = /[=!<>]+/y;
const numberPattern = /[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/y;
const numberTailPattern = /[-+.]?[\p{L}\p{N}_.]*/uy;
const wordCharPattern = /[\p{L}\p{N}_.]/u;
/** PostgreSQL text cannot hold NUL, and a lone surrogate has no UTF-8 form. */
const unsafeCharacter = /[\0\p{Cs}]/u;

export const isSqlSafeText = (value: string): boolean => !unsafeCharacter.test(value);

export type ScannerContext = {
  field: "filter" | "order_by";
  /** Starts every message: "Invalid filter", "Invalid order_by entry 2". */
  label: string;
  /** How the end of the input is named in messages: "end of filter". */
  end: string;
};

/**
 * A cursor over one filter or order_by entry. The parser drives it directly (the grammar is
 * context-dependent: `"x"` is a key on the left and a value on the right), and every error names
 * the token at fault and its 1-based position.
 */
export class SearchScanner {
  pos = 0;

  constructor(
    readonly text: string,
    private readonly context: ScannerContext,
  ) {
    const bad = unsafeCharacter.exec(text);
    if (bad) this.fail(`invalid character U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`, bad.index);
  }

  fail(detail: string, at = this.pos): never {
    throw new GantryError("INVALID_INPUT", `${this.context.label} at position ${at + 1}: ${detail}`, { field: this.context.field });
  }

  /** `unexpected token 'x' (expectation)` or `unexpected end of filter (expectation)`. */
  unexpected(expectation: string, at = this.pos): never {
    const token = this.tokenAt(at);
    const what = token === null ? this.context.end : /^\s/.test(token) ? "whitespace" : `token ${quoteToken(token)}`;
    this.fail(`unexpected ${what} (${expectation})`, at);
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  /** Skips whitespace; says whether there was any. */
  skipSpace(): boolean {
    const start = this.pos;
    while (this.pos < this.text.length && /\s/.test(this.text.charAt(this.pos))) this.pos++;
    return this.pos > start;
  }

  private match(pattern: RegExp): string | null {
    pattern.lastIndex = this.pos;
    const found = pattern.exec(this.text);
    if (!found) return null;
    this.pos += found[0].length;
    return found[0];
  }

  readWord(): string | null {
    return this.match(wordPattern);
  }

  readUnquotedKey(): string | null {
    return this.match(unquotedKeyPattern);
  }

  readSymbol(): string | null {
    return this.match(symbolPattern);
  }

  /** A number; `1abc` or `1.2.3` is one bad token rather than a number and a stray word. */
  readNumber(): number | null {
    const at = this.pos;
    const raw = this.match(numberPattern);
    if (raw === null) return null;
    if (wordCharPattern.test(this.peek() ?? "")) this.fail(`invalid number ${quoteToken(this.tokenAt(at) ?? raw)}`, at);
    const value = Number(raw);
    if (!Number.isFinite(value)) this.fail(`number ${quoteToken(raw)} is out of range`, at);
    return value;
  }

  /**
   * A string quoted with one of `quotes`, the quote escaped by doubling it. Null when the cursor
   * is not on such a quote.
   */
  readQuoted(quotes: string): string | null {
    const quote = this.peek();
    if (quote === undefined || !quotes.includes(quote)) return null;
    const at = this.pos;
    let value = "";
    let i = at + 1;
    for (;;) {
      const next = this.text.indexOf(quote, i);
      if (next < 0) this.fail(`unterminated string ${quoteToken(this.text.slice(at))}`, at);
      value += this.text.slice(i, next);
      if (this.text[next + 1] === quote) {
        value += quote;
        i = next + 2;
        continue;
      }
      this.pos = next + 1;
      return value;
    }
  }

  /** The token starting at `at` as the user wrote it, or null at the end. For messages only. */
  tokenAt(at: number): string | null {
    if (at >= this.text.length) return null;
    const c = this.text.charAt(at);
    if (c === "'" || c === '"' || c === "`") {
      let i = at + 1;
      for (;;) {
        const next = this.text.indexOf(c, i);
        if (next < 0) return this.text.slice(at);
        if (this.text[next + 1] === c) i = next + 2;
        else return this.text.slice(at, next + 1);
      }
    }
    const patterns = /[-+.\d]/.test(c) ? [numberTailPattern] : [wordPattern, symbolPattern];
    for (const pattern of patterns) {
      pattern.lastIndex = at;
      const found = pattern.exec(this.text);
      if (found?.[0]) return found[0];
    }
    return String.fromCodePoint(this.text.codePointAt(at) ?? 0);
  }
}

/** `'token'`, shortened when long so that a message stays readable. */
export function quoteToken(token: string): string {
  const short = token.length > 40 ? `${token.slice(0, 40)}…` : token;
  return `'${short}'`;
}
