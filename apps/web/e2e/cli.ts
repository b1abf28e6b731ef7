import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const exec = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Runs the real `gantry` CLI (as `pnpm gantry` does) in a throwaway config dir. */
export async function gantry(args: string[], env: Record<string, string> = {}) {
  const configDir = await mkdtemp(path.join(tmpdir(), "gantry-e2e-cli-"));
  const result = await exec(process.execPath, ["--import", "tsx", path.join(repo, "packages/client/src/cli/main.ts"), ...args], {
    cwd: path.join(repo, "packages/client"),
    env: { ...process.env, GANTRY_CONFIG_DIR: configDir, GANTRY_URL: "", GANTRY_API_KEY: "", ...env },
  });
  return result.stdout;
}
