import { GantryApiError } from "../client";

export type Io = {
  out: (line: string) => void;
  err: (line: string) => void;
  /** The terminal behind `err`, when there is one: progress bars draw on it (else plain lines go to `err`). */
  errTty?: NodeJS.WriteStream;
};

export const stdio: Io = {
  out: (l) => process.stdout.write(l + "\n"),
  err: (l) => process.stderr.write(l + "\n"),
  ...(process.stderr.isTTY ? { errTty: process.stderr } : {}),
};

/** Prints `value` as JSON when --json is set, else the human lines. */
export function emit(io: Io, json: boolean, value: unknown, human: () => string[]) {
  if (json) io.out(JSON.stringify(value, null, 2));
  else for (const line of human()) io.out(line);
}

/** Errors keep the --json contract too: `{"error": {...}}` on stdout, exit code 1. */
export function emitError(io: Io, json: boolean, error: unknown): void {
  const e =
    error instanceof GantryApiError
      ? { code: error.code, message: error.message, status: error.status, field: error.field }
      : { code: "CLI_ERROR", message: error instanceof Error ? error.message : String(error), status: 0, field: null };
  if (json) io.out(JSON.stringify({ error: e }, null, 2));
  else io.err(`error: ${e.message}${e.code !== "CLI_ERROR" ? ` (${e.code})` : ""}`);
}
