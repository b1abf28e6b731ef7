import { CommanderError } from "commander";

import { stdio } from "./output";
import { buildProgram } from "./program";

try {
  await buildProgram(stdio).parseAsync(process.argv);
} catch (error) {
  // --help and --version end through here with exit code 0; usage errors with 1.
  process.exitCode = error instanceof CommanderError ? error.exitCode : 1;
  if (!(error instanceof CommanderError)) console.error(error);
}
