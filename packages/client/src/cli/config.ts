import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import envPaths from "env-paths";

export type CliConfig = { url?: string; apiKey?: string };

/** `$XDG_CONFIG_HOME/gantry/config.json` (or the platform's equivalent); GANTRY_CONFIG_DIR overrides. */
export const configPath = (env: NodeJS.ProcessEnv = process.env): string =>
  path.join(env.GANTRY_CONFIG_DIR || envPaths("gantry", { suffix: "" }).config, "config.json");

export async function loadConfig(env: NodeJS.ProcessEnv = process.env): Promise<CliConfig> {
  const text = await readFile(configPath(env), "utf8").catch(() => null);
  if (!text) return {};
  try {
    return JSON.parse(text) as CliConfig;
  } catch {
    throw new Error(`${configPath(env)} is not valid JSON; fix or delete it, then run gantry login again`);
  }
}

/** Written with mode 600: it holds an API key. */
export async function saveConfig(config: CliConfig, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const file = configPath(env);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}

/** Flags win over GANTRY_URL / GANTRY_API_KEY, which win over the saved config. */
export async function resolveConnection(flags: { url?: string; key?: string }, env: NodeJS.ProcessEnv = process.env) {
  const saved = await loadConfig(env);
  const url = flags.url ?? env.GANTRY_URL ?? saved.url;
  const apiKey = flags.key ?? env.GANTRY_API_KEY ?? saved.apiKey;
  if (!url || !apiKey) throw new Error("Not logged in: run `gantry login --url <portal url> --key <api key>` or set GANTRY_URL and GANTRY_API_KEY");
  return { url, apiKey };
}
