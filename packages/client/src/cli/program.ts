import { Command } from "commander";

import type { GantryClient } from "../client";
import { createGantryClient } from "../client";
import { configPath, resolveConnection, saveConfig } from "./config";
import { addDatasetCommands } from "./dataset-commands";
import { addEndpointCommands } from "./endpoint-commands";
import type { Io } from "./output";
import { addJobCommands } from "./job-commands";
import { addModelCommands } from "./model-commands";
import { addScheduleCommands } from "./schedule-commands";
import { addAbTestCommands } from "./abtest-commands";
import { addMonitorCommands, addRetrainCommands } from "./monitor-commands";
import { addServingCommands } from "./serving-commands";
import { addSweepCommands } from "./sweep-commands";
import { emit, emitError } from "./output";
import { addTrackingCommands } from "./tracking-commands";

type GlobalOptions = { json?: boolean; url?: string; key?: string };

/**
 * The `gantry` CLI. Every command takes --json (machine-readable output, errors included) and
 * --url/--key (else GANTRY_URL/GANTRY_API_KEY, else the saved login).
 */
export function buildProgram(io: Io, env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command("gantry")
    .description("Gantry: experiments to production, from the terminal")
    .option("--json", "print JSON (errors too)")
    .option("--url <url>", "the Gantry portal URL (default: GANTRY_URL or the saved login)")
    .option("--key <key>", "an API key (default: GANTRY_API_KEY or the saved login)")
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();

  const globals = () => program.opts<GlobalOptions>();
  /** Runs a command body with a connected client; errors become exit code 1 with a message. */
  const withClient = (body: (client: GantryClient, json: boolean) => Promise<void>) => async () => {
    const json = Boolean(globals().json);
    try {
      const { url, apiKey } = await resolveConnection({ url: globals().url, key: globals().key }, env);
      await body(createGantryClient({ url, apiKey }), json);
    } catch (error) {
      emitError(io, json, error);
      process.exitCode = 1;
    }
  };

  program
    .command("login")
    .description("check --url and --key, then save them for later commands")
    .action(async () => {
      const { json, url, key } = globals();
      try {
        if (!url || !key) throw new Error("login needs both --url <portal url> and --key <api key>");
        const opts = { url, key };
        const me = await createGantryClient({ url: opts.url, apiKey: opts.key }).whoami();
        const file = await saveConfig({ url: opts.url.replace(/\/+$/, ""), apiKey: opts.key }, env);
        emit(io, Boolean(json), { ...me, savedTo: file }, () => [`Logged in to ${me.org?.slug ?? "?"} as ${me.key?.label ?? me.user?.email ?? "?"}.`, `Saved to ${file}.`]);
      } catch (error) {
        emitError(io, Boolean(json), error);
        process.exitCode = 1;
      }
    });

  program
    .command("logout")
    .description("forget the saved URL and key")
    .action(async () => {
      const file = await saveConfig({}, env);
      emit(io, Boolean(globals().json), { loggedOut: true, config: file }, () => [`Logged out (${file}).`]);
    });

  program
    .command("whoami")
    .description("who the key is: org, role, scopes")
    .action(
      withClient(async (client, json) => {
        const me = await client.whoami();
        emit(io, json, me, () => [
          `org:    ${me.org ? `${me.org.slug} (${me.org.name})` : "—"}`,
          `as:     ${me.key ? me.key.label : (me.user?.email ?? "—")}`,
          ...(me.user ? [`user:   ${me.user.email}`] : []),
          `role:   ${me.role ?? "—"}`,
          `scopes: ${me.scopes.join(", ") || "—"}`,
          `server: ${client.url}`,
        ]);
      }),
    );

  addTrackingCommands(program, io, withClient);
  addDatasetCommands(program, io, withClient);
  addJobCommands(program, io, withClient);
  addSweepCommands(program, io, withClient);
  addScheduleCommands(program, io, withClient);
  addModelCommands(program, io, withClient);
  addEndpointCommands(program, io, withClient);
  addServingCommands(program, io, withClient);
  addAbTestCommands(program, io, withClient);
  addMonitorCommands(program, io, withClient);
  addRetrainCommands(program, io, withClient);

  program
    .command("config")
    .description("where the saved login lives")
    .action(() => emit(io, Boolean(globals().json), { config: configPath(env) }, () => [configPath(env)]));

  return program;
}
