import type { Io } from "./output";
import { buildProgram } from "./program";

export type CliResult = { code: number | string | undefined; out: string; err: string };

/**
 * Runs the CLI in-process (its HTTP calls are real) and captures what it prints and its exit
 * code: for tests of the commands, and for embedding the CLI in other tools.
 */
export async function runCli(args: string[], env: NodeJS.ProcessEnv, io: Pick<Io, "errTty"> = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  process.exitCode = 0;
  await buildProgram({ out: (l) => out.push(l), err: (l) => err.push(l), ...io }, env).parseAsync(["node", "gantry", ...args]);
  const code = process.exitCode;
  process.exitCode = 0;
  return { code, out: out.join("\n"), err: err.join("\n") };
}
